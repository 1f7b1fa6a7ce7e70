import { Registry } from 'prom-client';
import { observeBatch, projectionMetrics } from '../../../src/metrics/projection';

const endedAt = Date.parse('2026-11-29T12:00:00Z');
const record = (kind: string, operation: string, secondsAgo: number) => ({ kind, operation, createdAt: new Date(endedAt - secondsAgo * 1000) });

describe('projection batch figures', () => {
  it('observe the batch size and, for each IdP write it finished, the time since the write', async () => {
    const metrics = projectionMetrics(new Registry());
    observeBatch(metrics, {
      endedAt,
      size: 5,
      finished: [record('User', 'create', 2), record('User', 'patch', 0.5), record('Group', 'delete', 1), record('User', 'resync', 300), record('User', 'group', 300)],
    });
    const size = await metrics.batchSize.get();
    const lag = await metrics.writeToProjection.get();
    const value = (name: string, labels: Record<string, string> = {}) =>
      lag.values.find((v) => v.metricName === name && Object.entries(labels).every(([k, l]) => String((v.labels as Record<string, unknown>)[k]) === l))?.value;
    expect({
      batches: size.values.find((v) => v.metricName === 'scim_projection_batch_size_count')?.value,
      records: size.values.find((v) => v.metricName === 'scim_projection_batch_size_sum')?.value,
      users: value('scim_projection_write_to_projection_seconds_count', { resource_type: 'User' }),
      userSeconds: value('scim_projection_write_to_projection_seconds_sum', { resource_type: 'User' }),
      groups: value('scim_projection_write_to_projection_seconds_count', { resource_type: 'Group' }),
      usersWithinOneSecond: value('scim_projection_write_to_projection_seconds_bucket', { resource_type: 'User', le: '1' }),
    }).toEqual({ batches: 1, records: 5, users: 2, userSeconds: 2.5, groups: 1, usersWithinOneSecond: 1 });
  });
});
