import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testFerretDbPostgresUrl, useFreshDatabase } from '../../../support/database';
import { eventually } from '../../../support/eventually';
import { ensureAutovacuum, indexFerretDbEqualities } from '../../../../dev/services/postgres';

const run = promisify(execFile);
const postgresUrl = testFerretDbPostgresUrl();

/** One query through psql; retried while PostgreSQL's connections are all taken (FerretDB pools up to 50, and parallel runs share the server). */
async function sql(query: string): Promise<string[][]> {
  const attempt = () => run('psql', ['-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', postgresUrl!, '-c', query]).then(({ stdout }) => stdout, (err: Error) => err);
  const out = await eventually(attempt, (result) => !(result instanceof Error && /too many clients/.test(result.message)), 30_000, 200);
  if (out instanceof Error) throw out;
  return out.trim().split('\n').filter(Boolean).map((line) => line.split('\t'));
}

/**
 * ops/ferretdb-equality-indexes.sql on the embedded FerretDB: every field of every index the
 * product declares gets a GIN index PostgreSQL can serve FerretDB's `@>` equalities from, and a
 * person looked up by address is read through one, not by a scan. Only where FerretDB runs on
 * PostgreSQL; MongoDB serves equalities from the declared indexes themselves.
 */
(postgresUrl ? describe : describe.skip)('FerretDB equality indexes', () => {
  const db = useFreshDatabase('equality_indexes');
  /** FerretDB keeps a database in a PostgreSQL schema of the same name. */
  const schema = () => db().connection.name;

  const tableOf = async (collection: string) => (await sql(`SELECT _jsonb->>'table' FROM "${schema()}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = '${collection}'`))[0]?.[0];
  const ginFields = async (table: string) =>
    new Set((await sql(`SELECT indexdef FROM pg_indexes WHERE schemaname = '${schema()}' AND tablename = '${table}' AND indexdef LIKE '%USING gin%'`)).map(([def]) => /_jsonb -> '([^']+)'/.exec(def!)![1]));

  it('has a GIN index for every top-level field of every declared index', async () => {
    const missing: string[] = [];
    for (const model of Object.values(db().models)) {
      const table = await tableOf(model.collection.collectionName);
      expect(table).toBeDefined();
      const gin = await ginFields(table!);
      const declared = ['_id', ...model.schema.indexes().flatMap(([fields]) => Object.keys(fields))].filter((f) => !f.includes('.'));
      for (const field of new Set(declared)) if (!gin.has(field)) missing.push(`${model.collection.collectionName}.${field}`);
    }
    expect(missing).toEqual([]);
  });

  it('serves a lookup by company and address from the address index', async () => {
    const { TargetUser } = db().models;
    const companyId = new (await import('mongoose')).Types.ObjectId();
    await TargetUser.collection.insertMany(
      Array.from({ length: 300 }, (_, i) => ({ _id: `p${i}`, companyId, emailKey: `u${i}@acme.test`, origin: 'console', sources: [], sourceKeys: [] })) as never[],
    );
    const table = (await tableOf(TargetUser.collection.collectionName))!;
    const scansOf = async () => Number((await sql(`SELECT sum(idx_scan) FROM pg_stat_user_indexes WHERE schemaname = '${schema()}' AND relname = '${table}' AND indexrelname IN (SELECT indexname FROM pg_indexes WHERE schemaname = '${schema()}' AND tablename = '${table}' AND indexdef LIKE '%USING gin%''emailKey''%')`))[0]?.[0] ?? 0);
    const before = await scansOf();
    for (let i = 0; i < 5; i += 1) expect(await TargetUser.collection.findOne({ companyId, emailKey: `u${i * 7}@acme.test` })).toMatchObject({ _id: `p${i * 7}` });
    // PostgreSQL publishes another session's counters within a second or so.
    expect(await eventually(scansOf, (n) => n >= before + 5)).toBeGreaterThanOrEqual(before + 5);
  });

  it('builds them without a pending list, and converts one an earlier version built with one', async () => {
    const table = (await tableOf(db().models.TargetUser.collection.collectionName))!;
    const ginIndexes = async () => sql(`SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), 'none') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = '"${schema()}"."${table}"'::regclass AND a.amname = 'gin'`);
    const built = await ginIndexes();
    expect(built.length).toBeGreaterThan(3);
    expect(built.filter(([, options]) => options !== 'fastupdate=off')).toEqual([]);

    // As the file's first version built it: with a pending list, which every lookup reads whole.
    const [name] = built[0]!;
    await sql(`ALTER INDEX "${schema()}"."${name}" RESET (fastupdate)`);
    expect((await ginIndexes()).find(([n]) => n === name)?.[1]).toBe('none');
    const url = new URL(postgresUrl!);
    await indexFerretDbEqualities(url.toString(), url.pathname.slice(1));
    expect((await ginIndexes()).find(([n]) => n === name)?.[1]).toBe('fastupdate=off');
  });

  it("turns on a server's autovacuum that is off, so the planner knows a company id from an address", async () => {
    await sql('ALTER SYSTEM SET autovacuum = off');
    await sql('SELECT pg_reload_conf()');
    expect(await eventually(() => sql('SHOW autovacuum'), (rows) => rows[0]?.[0] === 'off')).toEqual([['off']]);
    await expect(ensureAutovacuum(postgresUrl!)).resolves.toBe(true);
    expect(await eventually(() => sql('SHOW autovacuum'), (rows) => rows[0]?.[0] === 'on')).toEqual([['on']]);
    await expect(ensureAutovacuum(postgresUrl!)).resolves.toBe(false);
  });
});
