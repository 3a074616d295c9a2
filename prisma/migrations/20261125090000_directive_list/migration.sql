-- GET /api/v1/directives: newest first, by issuer, by issued-date range, by a basedOn reference.

-- CreateIndex
CREATE INDEX "Directive_issuedAt_idx" ON "Directive"("issuedAt");

-- CreateIndex
CREATE INDEX "Directive_issuerCode_issuedAt_idx" ON "Directive"("issuerCode", "issuedAt");

-- CreateIndex
CREATE INDEX "Directive_basedOn_idx" ON "Directive" USING GIN ("basedOn");
