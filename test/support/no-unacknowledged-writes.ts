import { unacknowledgedWrites } from '../../src/db/unacknowledged-writes';

/**
 * Every integration test file fails if any code path it ran issued a `w: 0` write
 * (src/db/unacknowledged-writes.ts explains why FerretDB cannot take one).
 */
const seen: string[] = [];
const record = (description: string): void => {
  seen.push(description);
};
unacknowledgedWrites.on('write', record);

/** For the test that issues one on purpose to prove the watch works. */
export function takeUnacknowledgedWrites(): string[] {
  return seen.splice(0);
}

afterAll(() => {
  unacknowledgedWrites.off('write', record);
  expect(seen).toEqual([]);
});
