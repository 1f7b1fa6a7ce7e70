import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDatabase, type Database } from '../../src/db/connect';

/** The server global-setup provided (no database part). */
export function testMongoUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (uri === undefined) throw new Error('TEST_MONGODB_URI is unset: run integration tests with `npx jest --selectProjects integration`.');
  return uri;
}

/** Which server global-setup provided: ferretdb, mongodb-memory-server or external. */
export function testMongoKind(): string {
  return process.env.TEST_MONGO_KIND ?? 'external';
}

/** FerretDB's PostgreSQL database, when global-setup started FerretDB on PostgreSQL (its index checks). */
export function testFerretDbPostgresUrl(): string | undefined {
  return process.env.TEST_FERRETDB_POSTGRESQL_URL;
}

/**
 * A database name no other test file or run uses: lowercase letters, digits and underscores,
 * at most 63 characters (FerretDB's limit), so it is valid on MongoDB and FerretDB alike.
 */
export function freshDatabaseName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '').slice(0, 40) || 'test';
  return `${clean}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropDatabase(uri: string, name: string): Promise<void> {
  const connection = mongoose.createConnection(uri, { dbName: name, autoIndex: false, autoCreate: false });
  try {
    await connection.asPromise();
    await connection.dropDatabase();
  } finally {
    await connection.close(true);
  }
}

/**
 * A database of its own for the calling describe block, connected as the product connects
 * (indexes built, conversions run) before its tests and dropped after them: the returned
 * function gives it to the tests.
 */
export function useFreshDatabase(prefix: string): () => Database {
  const name = freshDatabaseName(prefix);
  let database: Database | undefined;
  beforeAll(async () => {
    database = await connectDatabase(testMongoUri(), name);
  });
  afterAll(async () => {
    await database?.connection.close();
    await dropDatabase(testMongoUri(), name);
  });
  return () => {
    if (!database) throw new Error('the database is connected in beforeAll');
    return database;
  };
}
