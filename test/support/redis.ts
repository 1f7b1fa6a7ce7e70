import { randomBytes } from 'node:crypto';

/** The Redis global-setup provided. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (url === undefined) throw new Error('TEST_REDIS_URL is unset: run integration tests with `npx jest --selectProjects integration`.');
  return url;
}

/** A BullMQ queue name no other test file or run uses (no ':' — BullMQ reserves it). */
export function freshQueueName(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9_-]+/g, '-')}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
