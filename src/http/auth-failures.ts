import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient } from '../queue/redis';

/**
 * Failed bearer tokens, counted per minute in Redis so every web process shares the counts.
 * The caller chooses the key (see `failureKey`); a valid token is never looked up here, so
 * nobody's failures can refuse it. While Redis does not answer, each process counts alone.
 */
export class AuthFailures {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: RedisClient, keyPrefix: string, failuresPerMinute: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points: failuresPerMinute,
      duration: 60,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: failuresPerMinute, duration: 60 }),
    });
  }

  /** Counts one failure; answers how long the key must wait when it is past the limit. */
  async record(key: string): Promise<{ retryAfterMs: number } | undefined> {
    try {
      await this.limiter.consume(key);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { retryAfterMs: rejection.msBeforeNext };
      throw rejection;
    }
  }
}

/**
 * A wrong secret for a real token prefix counts against that address and prefix only, so a
 * tenant sharing an address (an IdP's egress, a load balancer) is not locked out by another;
 * tokens that match no setting count against the address, so guessing prefixes is slow too.
 */
export function failureKey(clientAddress: string, knownPrefix: string | undefined): string {
  return knownPrefix === undefined ? `address:${clientAddress}` : `token:${knownPrefix}:${clientAddress}`;
}
