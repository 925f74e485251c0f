-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "push";

-- CreateTable
CREATE TABLE "push_token" (
    "identity" CHAR(8) NOT NULL,
    "device_id" BIGINT NOT NULL,
    "slot" SMALLINT NOT NULL,
    "token_type" SMALLINT NOT NULL,
    "token" BYTEA NOT NULL,
    "own_push_id" BYTEA,
    "set_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "push_token_pkey" PRIMARY KEY ("identity","device_id","slot")
);

-- CreateIndex
CREATE INDEX "push_token_own_push_id_idx" ON "push_token"("own_push_id");
