/**
 * AdminJS 7 and its adapters are ES modules; this project compiles to CommonJS. Types come
 * through `resolution-mode: import` (type-only, erased), values through a real dynamic
 * `import()`, which TypeScript keeps as is under module node16.
 */
export type AdminJSModule = typeof import('adminjs', { with: { 'resolution-mode': 'import' } });
export type AdminJSExpressModule = typeof import('@adminjs/express', { with: { 'resolution-mode': 'import' } });
export type AdminJSMongooseModule = typeof import('@adminjs/mongoose', { with: { 'resolution-mode': 'import' } });

export type {
  Action,
  After,
  Before,
  ActionContext,
  ActionRequest,
  ActionResponse,
  AdminJSOptions,
  BaseProperty,
  BaseRecord,
  CurrentAdmin,
  Filter,
  IsFunction,
  RecordJSON,
  RecordActionResponse,
  ListActionResponse,
  ResourceOptions,
  ResourceWithOptions,
} from 'adminjs' with { 'resolution-mode': 'import' };

export interface AdminJSModules {
  adminjs: AdminJSModule;
  express: AdminJSExpressModule;
  mongoose: AdminJSMongooseModule;
}

export async function loadAdminJS(): Promise<AdminJSModules> {
  const [adminjs, express, mongoose] = await Promise.all([import('adminjs'), import('@adminjs/express'), import('@adminjs/mongoose')]);
  return { adminjs, express, mongoose };
}
