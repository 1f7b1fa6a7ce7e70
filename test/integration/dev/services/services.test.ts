import mongoose, { Schema } from 'mongoose';
import { Redis } from 'ioredis';
import { dropDatabase, freshDatabaseName, testMongoUri } from '../../../support/database';
import { freshQueueName, testRedisUrl } from '../../../support/redis';

describe('services provided by global-setup', () => {
  const uri = testMongoUri();
  const dbName = freshDatabaseName('services');
  const connection = mongoose.createConnection(uri, { dbName });

  afterAll(async () => {
    await connection.close();
    await dropDatabase(uri, dbName);
  });

  it('MongoDB enforces a unique index (duplicate key error 11000)', async () => {
    const TargetUser = connection.model('TargetUser', new Schema({ userName: { type: String, required: true, unique: true } }));
    await TargetUser.init();
    await TargetUser.create({ userName: 'bjensen' });
    await expect(TargetUser.create({ userName: 'bjensen' })).rejects.toMatchObject({ code: 11000 });
    expect(await TargetUser.countDocuments()).toBe(1);
  });

  it('Redis answers PING and keeps keys per queue name apart', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.ping()).toBe('PONG');
      const key = `${freshQueueName('services')}:probe`;
      await redis.set(key, 'x', 'EX', 60);
      expect(await redis.get(key)).toBe('x');
    } finally {
      redis.disconnect();
    }
  });

  it('gives each call a distinct, valid database name', () => {
    const names = new Set(Array.from({ length: 50 }, () => freshDatabaseName('Weird prefix/with:chars')));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]{0,62}$/);
  });
});
