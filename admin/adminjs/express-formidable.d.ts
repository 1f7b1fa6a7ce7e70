/** express-formidable ships no types; AdminJS's API routes need its `req.fields`. */
declare module 'express-formidable' {
  import type { RequestHandler } from 'express';
  function formidable(options?: { maxFieldsSize?: number; maxFileSize?: number; maxFields?: number }): RequestHandler;
  export = formidable;
}
