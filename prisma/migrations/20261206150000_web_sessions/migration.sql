-- Browser sessions of signed-in people (express-session through connect-pg-simple, whose
-- table shape this is): the cookie holds only the session id, and expired rows are pruned.
CREATE TABLE "WebSession" (
    "sid" VARCHAR NOT NULL,
    "sess" JSON NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "WebSession_pkey" PRIMARY KEY ("sid")
);

CREATE INDEX "WebSession_expire_idx" ON "WebSession"("expire");
