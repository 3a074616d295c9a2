/** /api/v1/documents: read a document (text or file) into a draft directive. */
import { defineRoute, type Route } from '../route-registry';
import { anyObjectSchema, parseDocumentSchema } from '../schemas';
import { parseDocumentFor } from '../use-cases/parse-document';

export const documentRoutes: Route[] = [
  defineRoute(
    {
      method: 'post',
      path: '/documents/parse',
      action: 'draft',
      summary:
        'Read a document into a draft directive of issuerCode: JSON { issuerCode, text }, or multipart/form-data with issuerCode and one file (.txt, .docx, .pdf with a text layer, .edxml) in the field "file". Nothing is issued: every field carries its source line and a confidence, and what a person must settle is listed in unresolved',
      body: parseDocumentSchema,
      upload: true,
      errors: [404, 422],
      response: anyObjectSchema,
    },
    async ({ deps, principal, body, file }) => ({
      body: await parseDocumentFor(deps.store, principal, { issuerCode: body.issuerCode, ...(body.text ? { text: body.text } : {}), ...(file ? { file } : {}) }),
    }),
  ),
];
