import { ScimError, type ScimType } from '../../../../src/scim/errors';

/** Runs `action` and returns the ScimError it must throw, failing the test on any other outcome. */
export function scimErrorFrom(action: () => unknown): ScimError {
  try {
    action();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw new Error(`expected a ScimError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

export function expectBadRequest(action: () => unknown, scimType: ScimType, detail?: RegExp): void {
  const error = scimErrorFrom(action);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe(scimType);
  if (detail) expect(error.detail).toMatch(detail);
}
