import type { Connection } from 'mongoose';
import type { Config } from '../src/config';
import type { Logger } from '../src/logger';
import type { Models } from '../src/models';
import type { Producer } from '../src/queue/producer';

/** What the console needs from the web process: built once in src/http/main.ts. */
export interface AdminContext {
  config: Config;
  logger: Logger;
  models: Models;
  producer: Producer;
  /** The sessions live in this database too (collection admin_sessions). */
  connection: Connection;
}
