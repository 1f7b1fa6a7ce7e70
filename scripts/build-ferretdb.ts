// Builds .cache/ferretdb/ferretdb from tools/ferretdb when it is missing or older than its
// sources (--force: always). Starting the services does this by itself; this script is for
// warming a fresh clone or CI image ahead of time.
//   npx tsx scripts/build-ferretdb.ts [--force]
import { ensureFerretDbBinary } from '../dev/services/ferretdb-build';
import { ServiceStartError } from '../dev/services/errors';

async function main(): Promise<void> {
  const binary = await ensureFerretDbBinary({ log: (message) => console.error(message), force: process.argv.includes('--force') });
  console.log(binary);
}

main().catch((error: unknown) => {
  console.error(error instanceof ServiceStartError ? error.message : error);
  process.exitCode = 1;
});
