import { randomUUID } from 'node:crypto';
import type { Models } from '../models';
import { ScimError } from '../scim/errors';
import { isDuplicateKey } from './mongo-errors';

/**
 * FerretDB v1 applies an update as read, change, write back without isolation (FerretDB#3040):
 * two concurrent updates of one document can lose one, whatever their filters say, so a
 * version check alone does not keep writes there. Every write to a SCIM resource holds the
 * resource's lock, across web and worker processes: an insert under a unique `_id` is atomic
 * on FerretDB as on MongoDB.
 */
const LOCKS_COLLECTION = 'scim_write_locks';
/**
 * A holder that died, or lost the database midway and could not release, leaves its lock; after
 * this long the lock may be taken over, so the IdP's retry (Retry-After 5) gets it.
 */
const WRITE_LOCK_MS = 10_000;
/**
 * A holder does not start its final write later than this before its lock may be taken over:
 * past it, it gives up with a 503 instead of racing the next holder (the web's database commands
 * time out well within this margin, src/db/connect.ts).
 */
const WRITE_MARGIN_MS = 5_000;
/** How long a write waits for the lock before asking the IdP to retry. */
const WRITE_LOCK_WAIT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LockRecord {
  _id: string;
  owner: string;
  until: Date;
}

const locks = (models: Models) => models.ScimUserResource.db.collection<LockRecord>(LOCKS_COLLECTION);

/** Takes the lock `key` for `owner` if it is free, expired, or already `owner`'s; says whether `owner` holds it now. */
export async function tryLock(models: Models, key: string, owner: string, holdMs: number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await locks(models).insertOne({ _id: key, owner, until: new Date(Date.now() + holdMs) });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const holder = await locks(models).findOne({ _id: key });
    if (holder?.owner === owner) return true;
    if (holder && holder.until.getTime() >= Date.now()) return false;
    await locks(models).deleteOne({ _id: key, owner: holder?.owner ?? '' });
  }
  return false;
}

export async function releaseLock(models: Models, key: string, owner: string): Promise<void> {
  await locks(models).deleteOne({ _id: key, owner });
}

/**
 * Locks this process holds but could not release (the database went away mid-work), per
 * database. Its next take of the key releases the old one first, so the work resumes as soon as
 * the database is back, not when the lock expires (a projection lease: up to a minute later).
 */
const unreleased = new WeakMap<Models, Map<string, string>>();

function unreleasedOf(models: Models): Map<string, string> {
  let held = unreleased.get(models);
  if (!held) unreleased.set(models, (held = new Map()));
  return held;
}

async function releaseOrRemember(models: Models, key: string, owner: string): Promise<void> {
  try {
    await releaseLock(models, key, owner);
  } catch (err) {
    unreleasedOf(models).set(key, owner);
    throw err;
  }
}

async function releaseLeftOver(models: Models, key: string): Promise<void> {
  const owner = unreleasedOf(models).get(key);
  if (owner === undefined) return;
  await releaseLock(models, key, owner);
  unreleasedOf(models).delete(key);
}

/** Given to the holder of a write lock: called right before its final write. */
export type AssertLockHeld = () => void;

/**
 * Runs `write` holding the lock `key`; waits for it with growing pauses, then gives up with a 409.
 * `write` calls `assertHeld` right before its final write. `extraMs` lengthens the lock, and the
 * time the write has to start, for a write whose own reads are large (a group write checking
 * thousands of members): on a loaded machine those reads alone can outlast the usual margin.
 */
export async function withWriteLock<T>(models: Models, key: string, write: (assertHeld: AssertLockHeld) => Promise<T>, extraMs = 0): Promise<T> {
  const waitUntil = Date.now() + WRITE_LOCK_WAIT_MS;
  const tooSlow = () => new ScimError(503, 'The database is answering too slowly; retry the request.');
  let held = await holdLock(models, key, WRITE_LOCK_MS + extraMs, WRITE_MARGIN_MS, { expired: tooSlow });
  for (let pause = 2; !held; pause = Math.min(pause * 2, 50)) {
    if (Date.now() > waitUntil) throw new ScimError(409, `${key} is being changed concurrently; retry the request.`);
    await sleep(pause + Math.random() * pause);
    held = await holdLock(models, key, WRITE_LOCK_MS + extraMs, WRITE_MARGIN_MS, { expired: tooSlow });
  }
  try {
    return await write(held.assertHeld);
  } finally {
    await held.release();
  }
}

export const writeLockKey = (kind: 'User' | 'Group', id: string) => `write:${kind}:${id}`;

export interface HeldLock {
  /** Throws once writing could overlap the next holder (see withWriteLock's margin). */
  assertHeld: AssertLockHeld;
  release(): Promise<void>;
}

/**
 * Takes the lock `key` without waiting: null when someone else holds it. The holder calls
 * `assertHeld` before each write; past `holdMs − marginMs` it throws `expired()`, so the work
 * stops before the lock can be taken over. With `renewEveryMs`, the holder pushes its lock's end
 * out that often while it works, so a long piece of work (a projection batch on a loaded
 * database) is not thrown away at the deadline; a renewal starts only while the lock is surely
 * still its own (before `holdMs − marginMs`), and a holder that stalls past that stops renewing
 * and fails `assertHeld` as before. Renewing is one update by `_id` and owner: on FerretDB a
 * read then a write, safe because nobody may take the lock over until `marginMs` after the
 * renewal's read.
 */
export async function holdLock(
  models: Models,
  key: string,
  holdMs: number,
  marginMs: number,
  options: { expired?: () => Error; renewEveryMs?: number } = {},
): Promise<HeldLock | null> {
  const expired = options.expired ?? (() => new LockExpiredError(`${key} held too long; the work will be retried`));
  const owner = randomUUID();
  await releaseLeftOver(models, key);
  if (!(await tryLock(models, key, owner, holdMs))) return null;
  let writeBy = Date.now() + holdMs - marginMs;
  let released = false;
  let renewing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const renew = async () => {
    const startedAt = Date.now();
    if (released || startedAt > writeBy) return;
    const renewed = await locks(models)
      .updateOne({ _id: key, owner }, { $set: { until: new Date(startedAt + holdMs) } })
      .then((result) => result.matchedCount === 1, () => false);
    if (renewed) writeBy = startedAt + holdMs - marginMs;
  };
  const schedule = (everyMs: number) => {
    timer = setTimeout(() => {
      renewing = renew().finally(() => {
        if (!released) schedule(everyMs);
      });
    }, everyMs);
    timer.unref();
  };
  if (options.renewEveryMs) schedule(options.renewEveryMs);
  return {
    assertHeld: () => {
      if (Date.now() > writeBy) throw expired();
    },
    release: async () => {
      released = true;
      clearTimeout(timer);
      await renewing;
      await releaseOrRemember(models, key, owner);
    },
  };
}

export class LockExpiredError extends Error {}

/**
 * Writes to one resource, one at a time: in arrival order within this process (a queue per
 * resource), and across processes by the resource's write lock.
 */
export class SerialWrites {
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly models: Models,
    private readonly kind: 'User' | 'Group',
  ) {}

  run<T>(id: string, write: (assertHeld: AssertLockHeld) => Promise<T>, extraMs = 0): Promise<T> {
    const turn = (this.writing.get(id) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => withWriteLock(this.models, writeLockKey(this.kind, id), write, extraMs));
    this.writing.set(id, turn);
    return turn.finally(() => {
      if (this.writing.get(id) === turn) this.writing.delete(id);
    });
  }
}
