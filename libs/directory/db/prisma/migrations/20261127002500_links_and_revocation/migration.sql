-- AlterTable
ALTER TABLE "identity" ADD COLUMN     "email_hash" BYTEA,
ADD COLUMN     "mobile_no_hash" BYTEA,
ADD COLUMN     "revocation_key_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "revocation_key_hash" BYTEA;

-- CreateTable
CREATE TABLE "pending_link" (
    "id" VARCHAR(32) NOT NULL,
    "identity_id" CHAR(8) NOT NULL,
    "kind" SMALLINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" SMALLINT NOT NULL DEFAULT 0,

    CONSTRAINT "pending_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pending_link_identity_id_kind_key" ON "pending_link"("identity_id", "kind");

-- AddForeignKey
ALTER TABLE "pending_link" ADD CONSTRAINT "pending_link_identity_id_fkey" FOREIGN KEY ("identity_id") REFERENCES "identity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

