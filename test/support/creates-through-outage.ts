import request from 'supertest';
import type { Express } from 'express';
import { eventually } from './eventually';
import { oktaUser } from '../factories';

export interface OutageRun {
  /** userNames answered 201. */
  created: string[];
  /** userNames answered 503 (the IdP would retry them). */
  refused: string[];
  /** Every answer, by userName. */
  answered: Map<string, number>;
  /** When the server was back. */
  returnedAt: number;
}

/**
 * Two IdP connections sending creates (four departments) to `app` while a server goes away for
 * `outageMs`: 20 answers before it is killed, then `kill`, the wait, `restart`, `backAgain` (a
 * client reconnecting), and 20 more answers before the senders stop. Like an IdP, a sender backs
 * off a little after an answer other than 201.
 */
export async function createsThroughOutage(app: Express, token: string, outageMs: number, server: { kill(): Promise<void>; restart(): Promise<void> }, backAgain: () => Promise<void> = async () => undefined): Promise<OutageRun> {
  const answered = new Map<string, number>();
  let n = 0;
  let sending = true;
  const send = async () => {
    while (sending) {
      const userName = `outage${(n += 1)}@example.com`;
      const body = oktaUser(userName, { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: `Dept ${n % 4}` } });
      const res = await request(app).post('/scim/v2/Users').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
      answered.set(userName, res.status);
      // What else came back, for the failure's reader (the test asserts there is nothing else).
      if (res.status !== 201 && res.status !== 503) process.stdout.write(`\n[outage] unexpected ${res.status}: ${res.text}\n`);
      if (res.status !== 201) await new Promise((r) => setTimeout(r, 200));
    }
  };
  const senders = [send(), send()];
  await eventually(async () => answered.size, (size) => size >= 20, 30_000);
  await server.kill();
  const killedAt = Date.now();
  await eventually(async () => Date.now() - killedAt, (ms) => ms >= outageMs, outageMs + 5000, 250);
  await server.restart();
  const returnedAt = Date.now();
  await backAgain();
  const during = answered.size;
  await eventually(async () => answered.size, (size) => size >= during + 20, 60_000);
  sending = false;
  await Promise.all(senders);
  const withStatus = (status: number) => [...answered].filter(([, s]) => s === status).map(([userName]) => userName);
  return { created: withStatus(201), refused: withStatus(503), answered, returnedAt };
}
