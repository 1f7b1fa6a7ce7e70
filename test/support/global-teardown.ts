import type { Services } from '../../dev/services';

/** Stops what global-setup started (jest runs both in its main process, sharing globalThis). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __testServices?: Services };
  await holder.__testServices?.stop();
  delete holder.__testServices;
}
