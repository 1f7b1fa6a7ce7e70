import { spawn } from 'node:child_process';
import path from 'node:path';
import { connectDatabase, type Database } from '../../../src/db/connect';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../support/database';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'admin', 'cli', 'create-admin.js');

/**
 * `npm run admin:create` (compiled, as global setup built it) with the password on standard input,
 * as a script would run it; only the environment it is given, so nothing of the test's leaks in.
 */
function createAdmin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('a long enough password\n');
  });
}

/** Where the CLI tells the new admin to sign in: the deployment's configured origin, not a fixed port. */
describe('npm run admin:create', () => {
  const dbName = freshDatabaseName('create_admin_cli');
  const mongoUri = new URL(testMongoUri());
  mongoUri.pathname = `/${dbName}`;
  let database: Database;

  beforeAll(async () => {
    database = await connectDatabase(testMongoUri(), dbName);
  });
  afterAll(async () => {
    await database.connection.close();
    await dropDatabase(testMongoUri(), dbName);
  });

  it('prints the sign-in URL on the configured PORT', async () => {
    const run = await createAdmin(['--email', 'Port@Example.com', '--platform'], { MONGODB_URI: mongoUri.toString(), PORT: '4123' });
    expect(run).toEqual({ code: 0, stdout: 'Created port@example.com as platform admin.\nSign in at http://localhost:4123/admin\n', stderr: '' });
    expect(await database.models.AdminUser.countDocuments({ email: 'port@example.com', role: 'platformAdmin' })).toBe(1);
  });

  it('prints the sign-in URL under PUBLIC_BASE_URL when that is set, whatever the port', async () => {
    const env = { MONGODB_URI: mongoUri.toString(), PORT: '4123', PUBLIC_BASE_URL: 'https://console.acme.example/' };
    const run = await createAdmin(['--email', 'it@acme.example', '--company', 'Acme Ltd'], env);
    expect(run).toEqual({ code: 0, stdout: 'Created it@acme.example as company admin of Acme Ltd.\nSign in at https://console.acme.example/admin\n', stderr: '' });
  });
});
