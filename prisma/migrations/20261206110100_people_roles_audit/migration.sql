-- People with roles in their unit, roles on unit tokens, and an audit trail that the
-- application can only append to.

-- The roles of a unit token (clerk, officer, leader): none means every role in its unit, as
-- for tokens issued before roles existed.
ALTER TABLE "ApiToken" ADD COLUMN "roles" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- Only the owner of the table (the migrator, archiving by the retention policy) may change
-- or remove an audit event: the role of the application, which may UPDATE and DELETE every
-- other table, only appends.
-- The body is an E-string with its semicolons written as \073: the driver adapter that
-- applies migrations splits the script at every semicolon, dollar quotes included.
CREATE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF current_user <> (SELECT tableowner FROM pg_tables WHERE schemaname = TG_TABLE_SCHEMA AND tablename = TG_TABLE_NAME) THEN
    RAISE EXCEPTION ''AuditEvent is append-only for %'', current_user USING ERRCODE = ''insufficient_privilege''\073
  END IF\073
  IF TG_OP = ''DELETE'' THEN
    RETURN OLD\073
  END IF\073
  RETURN NEW\073
END
';
CREATE TRIGGER "AuditEvent_no_update_or_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvent_append_only"();

-- People: a civil servant of a unit with roles there, or a system admin.
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "position" TEXT,
    "unitCode" TEXT,
    "roles" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "language" TEXT NOT NULL DEFAULT 'vi',
    "delivery" TEXT NOT NULL DEFAULT 'each',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");
CREATE INDEX "Person_unitCode_idx" ON "Person"("unitCode");
