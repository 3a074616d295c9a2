/** /api/v1/directives/{id}/files: files kept with a directive or an implementing document. */
import { defineRoute, type Route } from '../route-registry';
import { anyObjectSchema, directiveParams, fileParams, keepFileSchema } from '../schemas';
import { downloadFile, keepFile, listFiles } from '../use-cases/document-files';

export const documentFileRoutes: Route[] = [
  defineRoute(
    {
      method: 'post',
      path: '/directives/{id}/files',
      summary:
        'The issuer keeps a file with its directive or implementing document (multipart/form-data: role and one file in the field "file"): the original it was read from, or an attachment; .txt, .docx, .pdf or .edxml by content, at most DOCUMENT_MAX_BYTES',
      params: directiveParams,
      body: keepFileSchema,
      upload: true,
      status: 201,
      errors: [422],
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, body, file }) => ({
      body: await keepFile({ store: deps.store, files: deps.files }, principal, params.id, { role: body.role, ...(file ? { file } : {}) }),
    }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/files',
      summary: 'The files kept with a directive or implementing document (whoever may read its cascade)',
      params: directiveParams,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params }) => ({ body: await listFiles(deps.store, principal, params.id) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/directives/{id}/files/{fileId}',
      summary: 'Download a kept file (whoever may read its cascade)',
      params: fileParams,
      errors: [503],
      produces: 'application/octet-stream',
    },
    async ({ deps, principal, params }) => ({ file: await downloadFile({ store: deps.store, files: deps.files }, principal, params.id, params.fileId) }),
  ),
];
