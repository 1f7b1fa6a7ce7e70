import { metricsAccess } from '../../../src/metrics/endpoint';

describe('who may read /metrics', () => {
  const token = 'a'.repeat(20) + 'b'.repeat(20);
  const access = metricsAccess(token);

  it('grants the bearer METRICS_TOKEN, whatever the case of the scheme', () => {
    expect([access(`Bearer ${token}`), access(`bearer ${token}`), access(`Bearer  ${token} `)]).toEqual(['granted', 'granted', 'granted']);
  });

  it('refuses anything else, shorter, longer or empty tokens included', () => {
    const tries = [undefined, '', 'Bearer', 'Bearer ', `Basic ${token}`, `Bearer ${token.slice(1)}`, `Bearer ${token}a`, `Bearer ${token.toUpperCase()}`, token, `Bearer ${token} extra`];
    expect(tries.map(access)).toEqual(tries.map(() => 'refused'));
  });

  it('has no endpoint when no token is configured', () => {
    expect([metricsAccess(undefined)(`Bearer ${token}`), metricsAccess(undefined)(undefined)]).toEqual(['disabled', 'disabled']);
  });
});
