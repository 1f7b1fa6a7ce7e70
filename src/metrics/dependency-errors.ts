import type { RedisClient } from '../queue/redis';
import type { Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';

type MongoClient = ReturnType<Connection['getClient']>;

/** Errors of the process's Redis clients and MongoDB commands, counted as they happen. */
export interface DependencyErrors {
  redis: Counter<'client'>;
  mongodb: Counter<'command'>;
}

export function dependencyErrorCounters(registry: Registry): DependencyErrors {
  return {
    redis: new Counter({
      name: 'scim_redis_errors_total',
      help: "Errors an ioredis client reported ('error' events: refused or lost connections), by client role.",
      labelNames: ['client'] as const,
      registers: [registry],
    }),
    mongodb: new Counter({
      name: 'scim_mongodb_command_failures_total',
      help: 'MongoDB commands that failed (the driver\'s commandFailed events), by command name.',
      labelNames: ['command'] as const,
      registers: [registry],
    }),
  };
}

/** The client's role names it: `producer` (fails fast) or `consumer` (BullMQ's blocking reads). */
export function countRedisErrors(errors: DependencyErrors, redis: RedisClient, client: 'producer' | 'consumer'): void {
  redis.on('error', () => errors.redis.inc({ client }));
}

/** Needs `monitorCommands: true`, which connectDatabase sets. */
export function countMongoFailures(errors: DependencyErrors, client: MongoClient): void {
  client.on('commandFailed', (event) => errors.mongodb.inc({ command: event.commandName }));
}
