-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "directory";

-- CreateTable
CREATE TABLE "identity" (
    "id" CHAR(8) NOT NULL,
    "public_key" BYTEA NOT NULL,
    "state" SMALLINT NOT NULL DEFAULT 0,
    "type" SMALLINT NOT NULL DEFAULT 0,
    "feature_mask" BIGINT NOT NULL DEFAULT 0,
    "server_group" CHAR(2) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "identity_pkey" PRIMARY KEY ("id")
);
