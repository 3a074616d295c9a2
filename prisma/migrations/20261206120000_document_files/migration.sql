-- Documents in and out: files kept with directives and implementing documents.
CREATE TABLE "DocumentFile" (
    "id" TEXT NOT NULL,
    "directiveId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "uploadedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentFile_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "DocumentFile_directiveId_idx" ON "DocumentFile"("directiveId");
