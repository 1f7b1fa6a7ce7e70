import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { createScimSetting } from '../settings/scim-settings';
import { companyNamedOrNew } from '../store/companies';
import { configuredOrigin, tenantUrl } from '../settings/tenant-url';

const usage = `Usage: npm run cli:create-scim-setting -- --company "Acme Ltd" --name "Entra ID"

Creates the company (if no company has that name) and a SCIM setting, then prints the
Tenant URL and the bearer token. The token is shown this once; only its hash is kept.
Needs MONGODB_URI; the Tenant URL is built from PUBLIC_BASE_URL, else from PORT (as the web
process reads them), so run it with the web process's settings.`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { company: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.company || !values.name) {
    process.stdout.write(`${usage}\n`);
    process.exit(values.help ? 0 : 64);
  }
  const config = loadConfig();
  if (!config.mongoUri) {
    process.stderr.write('MONGODB_URI is not set.\n');
    process.exit(78);
  }
  const { connection, models } = await connectDatabase(config.mongoUri);
  try {
    const company = await companyNamedOrNew(models, values.company);
    const { id, token } = await createScimSetting(models, { companyId: company._id, name: values.name });
    process.stdout.write(
      `Company:       ${company.name} (${company._id.toHexString()})\nSCIM setting:  ${values.name} (${id.toHexString()})\nTenant URL:    ${tenantUrl(configuredOrigin(config))}\nSecret token:  ${token}\n\nCopy the token now: it is not shown again.\n`,
    );
  } finally {
    await connection.close();
  }
}

void main().catch((err: Error) => {
  process.stderr.write(`create-scim-setting failed: ${err.message}\n`);
  process.exit(1);
});
