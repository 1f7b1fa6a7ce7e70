import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from '../src/config';
import { startServices, ServiceStartError } from '../dev/services';
import { connectDatabase } from '../src/db/connect';
import { createScimSetting } from '../src/settings/scim-settings';
import { configuredOrigin, tenantUrl } from '../src/settings/tenant-url';
import { SHUTDOWN_BOUND_MS } from '../src/lifecycle';
import { saveAdmin } from '../admin/auth/admin-accounts';

/**
 * `npm start`: the whole service on one machine with no configuration. MongoDB and Redis
 * come from MONGODB_URI / REDIS_URL or are started embedded (dev/services); then the two
 * Procfile processes run as children, exactly as they would in production.
 */
const root = path.join(__dirname, '..');
const DATABASE = 'scim_provisioning';
const log = (message: string, level: 'info' | 'warn' = 'info') =>
  process.stderr.write(`[start]${level === 'warn' ? ' WARNING:' : ''} ${message}\n`);

function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * On an empty database: a demo company with a SCIM setting, so an IdP can connect at once,
 * and a platform admin for the console (unless ADMIN_EMAIL is given), both shown once.
 */
async function firstRun(mongoUri: string, config: Config): Promise<void> {
  const { connection, models } = await connectDatabase(mongoUri);
  try {
    if ((await models.ScimSetting.estimatedDocumentCount()) === 0) {
      const company = await models.Company.create({ name: 'Demo company' });
      const { token } = await createScimSetting(models, { companyId: company._id, name: 'Demo SCIM setting' });
      log(`first run: created "Demo company" with a SCIM setting.\n  Tenant URL:   ${tenantUrl(configuredOrigin(config))}\n  Secret token: ${token}\n  (shown once; create more in the console or with npm run cli:create-scim-setting)`);
    }
    if (config.adminEmail || (await models.AdminUser.estimatedDocumentCount()) > 0) return;
    // Created here rather than handed to the web process: a password in a child's environment
    // can be read by anyone who may read /proc/<pid>/environ.
    const admin = { email: 'admin@example.com', password: randomBytes(12).toString('base64url') };
    await saveAdmin(models, { ...admin, role: 'platformAdmin', companyId: null });
    log(`first run: console ${configuredOrigin(config)}/admin\n  E-mail:   ${admin.email}\n  Password: ${admin.password}\n  (shown once; more admins: npm run admin:create)`);
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  // Read as the web process will read it, so what is printed is where it listens.
  const config = loadConfig();
  const services = await startServices({ dataDir: path.join(root, '.cache', 'services'), log, purpose: 'service' });
  const mongoUri = withDatabase(services.mongoUri, DATABASE);
  const { port } = config;
  await firstRun(mongoUri, config);

  const env = { ...process.env, MONGODB_URI: mongoUri, REDIS_URL: services.redisUrl, PORT: String(port) };
  const workerEnv = { ...env, WORKER_HEALTH_PORT: String(config.workerHealthPort ?? port + 1) };
  const children: ChildProcess[] = [
    ['web', 'src/http/main.ts'],
    ['worker', 'workers/main.ts'],
  ].map(([name, file]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, file!)], { env: name === 'web' ? env : workerEnv, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${name} exited (${signal ?? code}); stopping everything`, 'warn');
        void stop(1);
      } else {
        log(`${name} stopped (${signal ?? `exit code ${code}`})`);
      }
    });
    return child;
  });
  log(`${services.mongoKind} MongoDB and ${services.redisKind} Redis ready; web on http://localhost:${port} (Tenant URL ${tenantUrl(configuredOrigin(config))})`);

  let stopping = false;
  // Web and worker first, while the servers they close against are still up; the servers
  // (in process groups of their own, so a terminal's Ctrl-C does not reach them) after.
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_BOUND_MS + 2000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await services.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

main().catch((err: Error) => {
  const known = err instanceof ServiceStartError || err instanceof ConfigError;
  log(known ? err.message : `failed to start: ${err.stack ?? err.message}`, 'warn');
  process.exit(known ? 78 : 1);
});
