import autocannon from 'autocannon';
import { inParallel } from './stats';

/** How the bench talks to an intake: SCIM bodies as the IdPs send them, 16 connections wide. */
export const WIDTH = 16;
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const DEPARTMENTS = 20;
export const TITLES = 10;

let serial = 0;
/** A new user each call: unique userName, one of 20 departments and 10 titles. */
export function newUser(label: string) {
  serial += 1;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName: `${label}.${serial}.${process.pid}@bench.example`,
    name: { givenName: 'Bench', familyName: `User ${serial}` },
    emails: [{ primary: true, type: 'work', value: `${label}.${serial}@bench.example` }],
    title: `Title ${serial % TITLES}`,
    active: true,
    [ENTERPRISE]: { department: `Department ${serial % DEPARTMENTS}` },
  };
}

export interface Intake {
  base: string;
  token: string;
}

const headers = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' });

export async function createUser(intake: Intake, label: string): Promise<string> {
  const res = await fetch(`${intake.base}/Users`, { method: 'POST', headers: headers(intake.token), body: JSON.stringify(newUser(label)) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /Users: ${res.status} ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** `count` creates, WIDTH at a time; the ids in no particular order. */
export async function createUsers(intake: Intake, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  await inParallel(Array.from({ length: count }, (_, i) => i), WIDTH, async () => void ids.push(await createUser(intake, label)));
  return ids;
}

export async function scim(intake: Intake, method: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${intake.base}${path}`, { method, headers: headers(intake.token), body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

export interface Sustained {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** Creates for `seconds` at WIDTH connections (autocannon); any answer but 201 fails the bench. */
export async function sustainedCreates(url: string, token: string | null, seconds: number, label: string): Promise<Sustained> {
  const result = await autocannon({
    url,
    connections: WIDTH,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/scim+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(newUser(label)) }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total };
}
