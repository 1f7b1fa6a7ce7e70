import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Takes the lock when it is free, already ours, or held by a job that no longer holds its
 * own BullMQ lock (its worker died: the job is stalled and will run again). The holder is
 * recorded as "<job lock key>\n<job token>".
 */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  local sep = string.find(holder, '\\n', 1, true)
  if sep and redis.call('GET', string.sub(holder, 1, sep - 1)) == string.sub(holder, sep + 1) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** ACQUIRE for many keys at once: returns the 1-based indexes of the keys now held. */
const ACQUIRE_MANY = `
local held = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  local free = true
  if holder and holder ~= ARGV[1] then
    local sep = string.find(holder, '\\n', 1, true)
    if sep and redis.call('GET', string.sub(holder, 1, sep - 1)) == string.sub(holder, sep + 1) then free = false end
  end
  if free then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    held[#held + 1] = i
  end
end
return held`;

const RELEASE_MANY = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0`;

/** Keys per Lua call: one call must not hold Redis up for long. */
const MANY_BATCH = 2000;

/** A safety net only: a lock normally ends with its job, or when its job's BullMQ lock lapses. */
const LOCK_TTL_MS = 10 * 60_000;
/** How long a job waits in place for a busy resource before stepping aside as a delayed job. */
const WAIT_IN_PLACE_MS = 150;
const POLL_MS = 10;

export class ResourceBusyError extends Error {}

/**
 * One projection at a time per resource. The version check and the CAS on `sync.rev` make
 * concurrent projections converge on MongoDB, but FerretDB v1 applies an update as a read
 * followed by a whole-document write, so a conditional update is no compare-and-set there
 * and a projection that read an older version could overwrite a newer one. Holding this
 * lock for the whole read-compute-write makes the order hold on both servers. Its lifetime
 * is its job's: a killed worker's locks are free as soon as BullMQ considers its jobs stalled.
 */
export class ProjectionLocks {
  constructor(
    private readonly redis: Redis,
    /** The queue's key in Redis: `<prefix>:<queue name>`. */
    private readonly queueKey: string,
  ) {}

  private key(kind: string, resourceId: string): string {
    return `${this.queueKey}:resource-lock:${kind}:${resourceId}`;
  }

  /** BullMQ keeps a running job's lock at <prefix>:<queue>:<job id>:lock, holding the job's token. */
  private holder(job: Job, token: string | undefined): string {
    return `${this.queueKey}:${job.id ?? ''}:lock\n${token ?? ''}`;
  }

  /**
   * Runs `work` holding the locks of as many of `resourceIds` as are free now, without waiting
   * for the others: `work` gets the ids it holds and must leave the rest to their own jobs.
   */
  async runMany<T>(job: Job, token: string | undefined, kind: string, resourceIds: string[], work: (held: string[]) => Promise<T>): Promise<T> {
    const holder = this.holder(job, token);
    const held: string[] = [];
    try {
      for (let i = 0; i < resourceIds.length; i += MANY_BATCH) {
        const ids = resourceIds.slice(i, i + MANY_BATCH);
        const indexes = (await this.redis.eval(ACQUIRE_MANY, ids.length, ...ids.map((id) => this.key(kind, id)), holder, LOCK_TTL_MS)) as number[];
        held.push(...indexes.map((index) => ids[index - 1]!));
      }
      return await work(held);
    } finally {
      for (let i = 0; i < held.length; i += MANY_BATCH) {
        const ids = held.slice(i, i + MANY_BATCH);
        await this.redis.eval(RELEASE_MANY, ids.length, ...ids.map((id) => this.key(kind, id)), holder);
      }
    }
  }

  /** Runs `work` holding the resource's lock; throws ResourceBusyError if another live job keeps it. */
  async run<T>(job: Job, token: string | undefined, kind: string, resourceId: string, work: () => Promise<T>): Promise<T> {
    const key = this.key(kind, resourceId);
    const holder = this.holder(job, token);
    const deadline = Date.now() + WAIT_IN_PLACE_MS;
    while ((await this.redis.eval(ACQUIRE, 1, key, holder, LOCK_TTL_MS)) !== 1) {
      if (Date.now() >= deadline) throw new ResourceBusyError(`${kind} ${resourceId} is being projected by another job`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, holder);
    }
  }
}
