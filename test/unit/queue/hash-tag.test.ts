import { hashTagOf } from '../../../src/queue/hash-tag';

/** The Redis Cluster specification's hash tag examples, and keys of ours. */
describe('hashTagOf (Redis Cluster key placement)', () => {
  it.each([
    ['{scim}:projection:wait', 'scim'],
    ['scim:{user1000}.following', 'user1000'],
    ['foo{}{bar}', undefined],
    ['foo{{bar}}zap', '{bar'],
    ['foo{bar}{zap}', 'bar'],
    ['no-tag', undefined],
    ['{unclosed', undefined],
  ])('%s → %s', (key, tag) => {
    expect(hashTagOf(key)).toBe(tag);
  });
});
