import { boundedRead } from '../../../src/metrics/bounded-read';

describe('bounded reads at scrape time', () => {
  it('answers what the source answered', async () => {
    expect(await boundedRead(async () => 42, 1000)()).toBe(42);
  });

  it('answers undefined when the source fails, or throws before it is even asked', async () => {
    expect(await boundedRead(async () => Promise.reject(new Error('away')), 1000)()).toBeUndefined();
    expect(
      await boundedRead(() => {
        throw new Error('no queues yet');
      }, 1000)(),
    ).toBeUndefined();
  });

  it('answers undefined within the bound when the source never answers, and shares the stalled read', async () => {
    let reads = 0;
    const read = boundedRead(() => {
      reads += 1;
      return new Promise<number>(() => undefined);
    }, 50);
    const started = Date.now();
    expect(await Promise.all([read(), read()])).toEqual([undefined, undefined]);
    expect(await read()).toBeUndefined();
    expect({ reads, withinBound: Date.now() - started < 1000 }).toEqual({ reads: 1, withinBound: true });
  });

  it('reads afresh once the last read settled', async () => {
    let reads = 0;
    const read = boundedRead(async () => (reads += 1), 1000);
    expect(await read()).toBe(1);
    expect(await read()).toBe(2);
  });
});
