/**
 * multipart/form-data for the routes that take a document file: one file in the field
 * `file`, held in memory up to DOCUMENT_MAX_BYTES (a larger one is refused while it
 * streams in, 413), the other fields as the body.
 */
import type { RequestHandler } from 'express';
import multer from 'multer';
import { ApiError } from '../errors';

export function documentUpload(maxBytes: number): RequestHandler {
  const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 2 * 1024 * 1024 } }).single('file');
  return (req, res, next) => {
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          return next(new ApiError(413, 'FILE_TOO_LARGE', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB (DOCUMENT_MAX_BYTES)`));
        }
        return next(new ApiError(400, 'BAD_UPLOAD', `${err.message}${err.field ? ` (field ${err.field})` : ''}: send one file in the field "file"`));
      }
      return next(new ApiError(400, 'BAD_UPLOAD', 'the multipart body could not be read'));
    });
  };
}
