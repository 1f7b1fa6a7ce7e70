import { randomUUID } from 'node:crypto';
import express from 'express';
import mongoose from 'mongoose';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * The intake's durable floor: the least a create must do, in a process of its own like the web
 * process. Express 5 parses the JSON, one `insertOne` under a unique index stores it, one BullMQ
 * `add` queues its job, then 201. Same Redis and database as the product; no auth, no SCIM
 * validation, no lock, no due record. Started by bench/run.ts with its settings as one JSON argument.
 */
interface FloorOptions {
  port: number;
  mongoUri: string;
  redisUrl: string;
  prefix: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FloorOptions;
  const connection = await mongoose.createConnection(options.mongoUri).asPromise();
  const users = connection.db!.collection<{ _id: string; userName: string; data: string }>('bench_floor_users');
  await users.createIndex({ userName: 1 }, { unique: true });
  const queue = new Queue('floor', { connection: new Redis(options.redisUrl, { maxRetriesPerRequest: 1 }), prefix: options.prefix });
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
  app.post('/Users', async (req, res) => {
    const body = req.body as { userName: string };
    const _id = randomUUID();
    await users.insertOne({ _id, userName: body.userName, data: JSON.stringify(body) });
    await queue.add('project', { id: _id }, { removeOnComplete: 1000, removeOnFail: 1000 });
    res.status(201).json({ id: _id, ...body });
  });
  const server = app.listen(options.port, '127.0.0.1', () => process.stdout.write('floor listening\n'));
  process.once('SIGTERM', () => {
    server.close();
    void queue.close().finally(() => process.exit(0));
  });
}

main().catch((err: Error) => {
  process.stderr.write(`floor server failed: ${err.message}\n`);
  process.exit(1);
});
