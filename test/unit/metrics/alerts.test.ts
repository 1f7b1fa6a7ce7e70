import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { metricOfSeries, registeredMetrics } from './registered-metrics';

interface AlertRule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: { severity?: unknown };
  annotations?: { summary?: unknown; description?: unknown };
}

const file = path.join(__dirname, '..', '..', '..', 'ops', 'alerts.yml');

/**
 * ops/alerts.yml parses as YAML, has the shape Prometheus's rule files have, and its expressions
 * name only series the service exports. (PromQL itself is checked by Prometheus's own parser, see
 * the README's Metrics section.)
 */
describe('ops/alerts.yml', () => {
  const document = YAML.parse(readFileSync(file, 'utf8')) as { groups?: { name?: unknown; rules?: AlertRule[] }[] };
  const rules = (document.groups ?? []).flatMap((group) => group.rules ?? []);

  it('holds the five alerts on-call needs first, each with a severity, a duration and a summary', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(['ScimProjectionLagging', 'ScimDueWorkStale', 'ScimJobsFailing', 'ScimServerErrors', 'ScimAuthFailureSpike']);
    for (const rule of rules) {
      expect({ alert: rule.alert, expr: typeof rule.expr, for: rule.for, severity: rule.labels?.severity, summary: typeof rule.annotations?.summary, description: typeof rule.annotations?.description }).toEqual({
        alert: rule.alert,
        expr: 'string',
        for: expect.stringMatching(/^\d+m$/),
        severity: expect.stringMatching(/^(page|ticket)$/),
        summary: 'string',
        description: 'string',
      });
    }
  });

  it('names only series the web and worker processes export', () => {
    const metrics = registeredMetrics();
    const named = rules.flatMap((rule) => String(rule.expr).match(/\bscim_\w+/g) ?? []);
    expect(named.length).toBeGreaterThanOrEqual(rules.length);
    expect(named.filter((series) => metricOfSeries(series, metrics) === undefined)).toEqual([]);
  });
});
