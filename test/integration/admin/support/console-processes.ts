import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { connectDatabase, type Database } from '../../../../src/db/connect';
import { freePort } from '../../../../dev/services/free-port';
import { spawnManaged, type ManagedChild } from '../../../../dev/services/managed-child';
import { defaultQueueNames } from '../../../../src/queue/producer';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../../support/database';
import { freshQueueName, testRedisUrl } from '../../../support/redis';
import { procfileArgs } from '../../../../scripts/procfile';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

export interface ConsoleProcessOptions {
  /** Also run the worker process (projections); the console alone does not need it. */
  worker?: boolean;
  env?: Record<string, string>;
}

function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * The real web (and worker) processes, as the Procfile runs them: AdminJS is ESM-only, so the
 * console cannot be loaded into jest's CommonJS runtime. Each instance gets its own database,
 * queue prefix and port on the servers global-setup started; the test keeps a connection of
 * its own to seed and check data.
 */
export class ConsoleProcesses {
  private constructor(
    readonly baseUrl: string,
    readonly database: Database,
    private readonly dbName: string,
    readonly queuePrefix: string,
    private readonly children: ManagedChild[],
  ) {}

  get models() {
    return this.database.models;
  }

  static async start(name: string, options: ConsoleProcessOptions = {}): Promise<ConsoleProcesses> {
    const dbName = freshDatabaseName(name);
    const queuePrefix = freshQueueName(name);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      // eslint-disable-next-line no-restricted-properties -- children need PATH, HOME and the like from the test's environment
      ...process.env,
      // The console as it is shipped: AdminJS serves its minified bundles and React's production
      // build only under NODE_ENV=production. Its development bundles (15 MB) made the browser
      // tests three times slower on two cores, and are not what an admin's browser runs.
      NODE_ENV: 'production',
      MONGODB_URI: withDatabase(testMongoUri(), dbName),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: queuePrefix,
      PORT: String(port),
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
      ...options.env,
    };
    const database = await connectDatabase(testMongoUri(), dbName);
    const children: ManagedChild[] = [];
    const system = new ConsoleProcesses(`http://127.0.0.1:${port}`, database, dbName, queuePrefix, children);
    try {
      children.push(await spawnManaged('web', process.execPath, procfileArgs('web'), { cwd: ROOT, env }));
      if (options.worker) children.push(await spawnManaged('worker', process.execPath, procfileArgs('worker'), { cwd: ROOT, env }));
      await system.waitForWeb(children[0]!);
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  /** The web process listens only after the console is mounted, so an answering login page means ready. */
  private async waitForWeb(web: ManagedChild, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exited = web.exitReason();
      if (exited) throw new Error(`${exited}:\n${web.recentOutput()}`);
      const ok = await fetch(`${this.baseUrl}/admin/login`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`web process not ready after ${timeoutMs} ms:\n${web.recentOutput()}`);
  }

  /** Fails with the processes' own output when one of them died: a clearer error than a timeout. */
  assertRunning(): void {
    for (const child of this.children) {
      const exited = child.exitReason();
      if (exited) throw new Error(`${exited}:\n${child.recentOutput()}`);
    }
  }

  output(): string {
    return this.children.map((c) => c.recentOutput()).join('\n---\n');
  }

  /** The queues the processes use (names from defaultQueueNames, under this instance's prefix). */
  async withQueues<T>(fn: (queues: { projection: Queue; maintenance: Queue }) => Promise<T>): Promise<T> {
    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const queues = {
      projection: new Queue(defaultQueueNames.projection, { connection, prefix: this.queuePrefix }),
      maintenance: new Queue(defaultQueueNames.maintenance, { connection, prefix: this.queuePrefix }),
    };
    try {
      return await fn(queues);
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await connection.quit();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
    await this.withQueues((queues) => Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)))).catch(() => undefined);
    await this.database.connection.close();
    await dropDatabase(testMongoUri(), this.dbName);
  }
}
