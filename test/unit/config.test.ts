import { loadConfig, parseRedisUrl } from '../../src/config';
import { hashTagOf } from '../../src/queue/hash-tag';

const redisOf = (REDIS_URL: string) => loadConfig({ REDIS_URL }).redis;

describe('REDIS_URL', () => {
  it('keeps redis:// and rediss:// URLs for ioredis to read', () => {
    expect(redisOf('redis://:secret@cache.internal:6380/2')).toEqual({ kind: 'standalone', url: 'redis://:secret@cache.internal:6380/2' });
    expect(redisOf('rediss://cache.internal')).toEqual({ kind: 'standalone', url: 'rediss://cache.internal' });
    expect(loadConfig({}).redis).toBeUndefined();
  });

  it('reads the cluster form: nodes, default port, IPv6, percent-encoded credentials, TLS', () => {
    expect(redisOf('redis-cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002,node-4')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
        { host: 'node-4', port: 6379 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(redisOf('rediss-cluster://app:p%40ss%3Aword@a:7000')).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 7000 }], username: 'app', password: 'p@ss:word', tls: true });
    expect(redisOf('redis-cluster://:only-password@a:7000')).toMatchObject({ username: undefined, password: 'only-password' });
  });

  it('reads the Sentinel form: sentinels, master name, default port, sentinelPassword, TLS', () => {
    expect(redisOf('redis-sentinel://s1:26380,s2/mymaster')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
      ],
      masterName: 'mymaster',
      username: undefined,
      password: undefined,
      sentinelPassword: undefined,
      tls: false,
    });
    expect(redisOf('rediss-sentinel://:master-pw@s1:26379/my%20master?sentinelPassword=s%26pw')).toMatchObject({
      masterName: 'my master',
      password: 'master-pw',
      sentinelPassword: 's&pw',
      tls: true,
    });
  });

  it.each([
    ['no scheme', 'cache.internal:6379', /REDIS_URL: not one of redis:\/\//],
    ['unknown scheme', 'memcached://a:1', /REDIS_URL: not one of/],
    ['a cluster with a path', 'redis-cluster://a:7000/0', /cluster URL has no path or query/],
    ['a cluster with a query', 'redis-cluster://a:7000?x=1', /cluster URL has no path or query/],
    ['a port out of range', 'redis-cluster://a:70000', /not a host:port: "a:70000"/],
    ['port 0', 'redis-cluster://a:0', /not a host:port: "a:0"/],
    ['an empty node', 'redis-cluster://a:7000,,b:7001', /not a host:port: ""/],
    ['Sentinel without a master name', 'redis-sentinel://s1:26379', /names its master/],
    ['Sentinel with a nested path', 'redis-sentinel://s1:26379/a/b', /names its master/],
    ['an unknown Sentinel parameter', 'redis-sentinel://s1/m?db=2', /unknown Sentinel URL parameter: db/],
    ['a broken percent-encoding', 'redis-cluster://user:%E0%A4%A@a:7000', /not percent-encoded/],
    ['an unparsable redis URL', 'redis://a:notaport', /not a URL/],
  ])('refuses %s', (_what, url, message) => {
    expect(() => loadConfig({ REDIS_URL: url })).toThrow(message);
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});

describe('QUEUE_PREFIX on a Redis Cluster', () => {
  const prefixOn = (REDIS_URL: string, QUEUE_PREFIX?: string) => loadConfig({ REDIS_URL, ...(QUEUE_PREFIX === undefined ? {} : { QUEUE_PREFIX }) }).queuePrefix;

  it('is wrapped in a hash tag on a cluster and used as given elsewhere', () => {
    expect(prefixOn('redis-cluster://a:7000')).toBe('{scim}');
    expect(prefixOn('redis-cluster://a:7000', 'acme-prod')).toBe('{acme-prod}');
    expect(prefixOn('redis://a:6379')).toBe('scim');
    expect(prefixOn('redis-sentinel://s/m')).toBe('scim');
    expect(loadConfig({}).queuePrefix).toBe('scim');
  });

  it('keeps a prefix that already has a hash tag, and tags odd ones so every key shares the tag', () => {
    expect(prefixOn('redis-cluster://a:7000', '{acme}:prod')).toBe('{acme}:prod');
    expect(prefixOn('redis-cluster://a:7000', 'a{}b')).toBe('{a{}b}');
    expect(hashTagOf(`${prefixOn('redis-cluster://a:7000', 'a{}b')}:projection:wait`)).toBe('a{');
    expect(() => prefixOn('redis-cluster://a:7000', '}x')).toThrow(/QUEUE_PREFIX: on a Redis Cluster it needs a hash tag/);
  });
});
