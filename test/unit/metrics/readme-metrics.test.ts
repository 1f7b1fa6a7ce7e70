import { readFileSync } from 'node:fs';
import path from 'node:path';
import { registeredMetrics } from './registered-metrics';

/** The README's Metrics section lists every metric the service registers, and no other. */
describe('README: Metrics', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = /\n## Metrics\n([\s\S]*?)(?=\n## )/.exec(readme)?.[1] ?? '';

  it('lists every scim_ metric with its labels, and only those', () => {
    const registered = [...registeredMetrics().keys()].filter((name) => name.startsWith('scim_')).sort();
    const listed = [...new Set([...section.matchAll(/^\| `(scim_\w+)`/gm)].map((m) => m[1]))].sort();
    expect(registered.length).toBeGreaterThan(10);
    expect(listed).toEqual(registered);
  });
});
