import type { RedisTarget } from '../config';

/**
 * Redis Cluster places a key by its hash tag when it has one: the text between its first `{`
 * and the next `}`, if that text is not empty. Keys with the same tag share a slot, so one
 * command or script may touch all of them.
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

/**
 * The key prefix used on this Redis. BullMQ's scripts touch several keys of a queue at once,
 * which a cluster allows only within one slot; every key of a queue starts with the prefix, so
 * a tag inside the prefix puts them all in one slot. On a cluster a prefix without a tag of its
 * own is wrapped in one (`scim` → `{scim}`); elsewhere it is used as given, so the keys of a
 * standalone or Sentinel deployment do not move. Undefined when no wrapping can make a tag
 * (a prefix that starts with `}` gives `{}…`).
 */
export function queuePrefixFor(prefix: string, redis: RedisTarget | undefined): string | undefined {
  if (redis?.kind !== 'cluster') return prefix;
  const tagged = hashTagOf(prefix) === undefined ? `{${prefix}}` : prefix;
  return hashTagOf(tagged) === undefined ? undefined : tagged;
}
