import { describe, expect, it } from 'vitest';
import { counterRates, parsePrometheusText, sumOf } from './prometheus-text';

const TEXT = `# HELP sluice_records_in_total Records appended
# TYPE sluice_records_in_total counter
sluice_records_in_total{topic="logs"} 120
sluice_records_in_total{topic="metrics"} 30
sluice_partition_size_bytes{topic="logs",partition="0"} 1024
sluice_partition_size_bytes{topic="logs",partition="1"} 2048
weird{a="x\\"y\\\\z"} 1
sluice_fsync_duration_seconds_bucket{le="+Inf"} 4
broken line
`;

describe('parsePrometheusText', () => {
  const samples = parsePrometheusText(TEXT);

  it('reads names, labels (with escapes) and values, skipping comments and junk', () => {
    expect(samples).toHaveLength(6);
    expect(samples[0]).toEqual({ name: 'sluice_records_in_total', labels: { topic: 'logs' }, value: 120 });
    expect(samples[4]!.labels.a).toBe('x"y\\z');
    expect(samples[5]!.labels.le).toBe('+Inf');
  });

  it('sums samples filtered by labels', () => {
    expect(sumOf(samples, 'sluice_partition_size_bytes')).toBe(3072);
    expect(sumOf(samples, 'sluice_records_in_total', { topic: 'metrics' })).toBe(30);
  });

  it('derives per-second counter rates between two reads', () => {
    const later = parsePrometheusText('sluice_records_in_total{topic="logs"} 220\nsluice_records_in_total{topic="metrics"} 10\n');
    const rates = counterRates({ at: 0, samples }, { at: 10_000, samples: later }, 'sluice_records_in_total', 'topic');
    expect(rates.get('logs')).toBe(10);
    // A counter that went down was reset (server restart): no negative rate.
    expect(rates.get('metrics')).toBe(0);
  });
});
