import { z } from 'zod';
import { badRequest } from '../errors';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * Far above what an IdP batches into one request. A group's members travel as one op's value array
 * (10,000 members is one op), so this does not bound them; the body size limit does.
 */
export const MAX_OPERATIONS = 1000;

/** Entra capitalises ops ("Replace"), its aadOptscim062020 dialect and Okta do not. */
const opName = z
  .string()
  .transform((op) => op.toLowerCase())
  .pipe(z.enum(['add', 'replace', 'remove']));

const patchOperationSchema = z.object({
  op: opName,
  // Some clients send `"path": null` for a path-less op.
  path: z.preprocess((path) => path ?? undefined, z.string().optional()),
  value: z.unknown().optional(),
});

export const patchRequestSchema = z.object({
  schemas: z
    .array(z.string())
    .refine((schemas) => schemas.some((schema) => schema.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase()), {
      message: `must contain ${PATCH_OP_SCHEMA}`,
    }),
  Operations: z.array(patchOperationSchema).min(1).max(MAX_OPERATIONS),
});

export type PatchRequest = z.output<typeof patchRequestSchema>;
export type PatchOperation = PatchRequest['Operations'][number];
export type PatchOpName = PatchOperation['op'];

/** Validates a PATCH body (RFC 7644 §3.5.2) or throws the 400 to answer with. */
export function parsePatchRequest(body: unknown): PatchRequest {
  const result = patchRequestSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw badRequest('invalidSyntax', `not a PatchOp request: ${where}${issue?.message ?? 'invalid'}`);
  }
  const valueless = result.data.Operations.findIndex((operation) => operation.op !== 'remove' && operation.value === undefined);
  if (valueless >= 0) throw badRequest('invalidValue', `Operations.${valueless}: ${result.data.Operations[valueless]?.op} needs a value`);
  return result.data;
}
