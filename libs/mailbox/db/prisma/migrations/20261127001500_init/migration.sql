-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "mailbox";

-- CreateTable
CREATE TABLE "queued_message" (
    "seq" BIGSERIAL NOT NULL,
    "receiver" CHAR(8) NOT NULL,
    "sender" CHAR(8) NOT NULL,
    "message_id" BIGINT NOT NULL,
    "flags" SMALLINT NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "struct" BYTEA NOT NULL,

    CONSTRAINT "queued_message_pkey" PRIMARY KEY ("receiver","seq")
);

-- CreateTable
CREATE TABLE "device_cookie" (
    "identity" CHAR(8) NOT NULL,
    "cookie" BYTEA NOT NULL,
    "change_pending" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "device_cookie_pkey" PRIMARY KEY ("identity")
);

-- CreateIndex
CREATE UNIQUE INDEX "queued_message_dedup_key" ON "queued_message"("receiver", "sender", "message_id");

-- CreateIndex
CREATE INDEX "queued_message_expires_at_idx" ON "queued_message" USING BRIN ("expires_at");
