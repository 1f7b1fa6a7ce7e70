export { applyPatch, type PatchResult } from './apply-patch';
export { isKeptExtension } from './extensions';
export type { JsonObject } from './json';
export { MAX_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest, patchRequestSchema, type PatchOperation, type PatchRequest } from './patch-request';
