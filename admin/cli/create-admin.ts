import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config';
import { connectDatabase } from '../../src/db/connect';
import { configuredOrigin } from '../../src/settings/tenant-url';
import { companyNamedOrNew } from '../../src/store/companies';
import { saveAdmin } from '../auth/admin-accounts';
import { MIN_PASSWORD_LENGTH } from '../auth/password';

const usage = `Usage: npm run admin:create -- --email you@example.com --platform
       npm run admin:create -- --email it@acme.example --company "Acme Ltd"
Options: --reset-password  set a new password (and unlock) for an existing login

Creates a console login: a platform admin (every company, the queues) or a company admin
(creating the company if no company has that name). The password is asked for without
echo, or read from the first line of standard input when that is not a terminal, so it
never appears in the shell history or the process list. Needs MONGODB_URI. Prints where
to sign in: PUBLIC_BASE_URL, else http://localhost:<PORT>; give it the web process's.`;

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let value = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') return reject(new Error('cancelled'));
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    return input.split(/\r?\n/)[0] ?? '';
  }
  const first = await promptHidden(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  const again = await promptHidden('Password again: ');
  if (first !== again) throw new Error('the two passwords differ');
  return first;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, company: { type: 'string' }, platform: { type: 'boolean' }, 'reset-password': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.email || Boolean(values.platform) === Boolean(values.company)) {
    process.stdout.write(`${usage}\n`);
    process.exit(values.help ? 0 : 64);
  }
  const config = loadConfig();
  if (!config.mongoUri) {
    process.stderr.write('MONGODB_URI is not set.\n');
    process.exit(78);
  }
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  const { connection, models } = await connectDatabase(config.mongoUri);
  try {
    const company = values.company ? await companyNamedOrNew(models, values.company) : null;
    const result = await saveAdmin(
      models,
      { email: values.email, password, role: company ? 'companyAdmin' : 'platformAdmin', companyId: company?._id ?? null },
      { resetPassword: values['reset-password'] },
    );
    if (result === 'exists') throw new Error(`${values.email} already has a login (use --reset-password to set a new password)`);
    const what = company ? `company admin of ${company.name}` : 'platform admin';
    process.stdout.write(`${result === 'created' ? 'Created' : 'Updated'} ${values.email.trim().toLowerCase()} as ${what}.\nSign in at ${configuredOrigin(config)}/admin\n`);
  } finally {
    await connection.close();
  }
}

void main().catch((err: Error) => {
  process.stderr.write(`create-admin failed: ${err.message}\n`);
  process.exit(1);
});
