import type { Grouping, VectorAggregationOp } from '../ast.js';
import { labelsKey, sortLabels, type Sample } from './sample.js';

/**
 * PromQL aggregation of one instant vector: `sum by (level)`, `topk(5, …)`, … Groups by the `by` labels
 * (or all labels but the `without` ones, or a single group); topk/bottomk keep the original series,
 * sorted by value, and sort/sort_desc only reorder. stddev/stdvar are population statistics, as in
 * Prometheus.
 */
export function aggregateVector(op: VectorAggregationOp, samples: readonly Sample[], grouping?: Grouping, param?: number): Sample[] {
  if (op === 'sort' || op === 'sort_desc') {
    const direction = op === 'sort' ? 1 : -1;
    return [...samples].sort((a, b) => direction * compareValues(a.value, b.value));
  }
  const groups = new Map<string, { labels: Record<string, string>; members: Sample[] }>();
  for (const sample of samples) {
    const labels = groupLabels(sample.labels, grouping);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (group === undefined) {
      group = { labels, members: [] };
      groups.set(key, group);
    }
    group.members.push(sample);
  }
  const out: Sample[] = [];
  for (const { labels, members } of groups.values()) {
    if (op === 'topk' || op === 'bottomk') {
      const direction = op === 'topk' ? -1 : 1;
      const sorted = [...members].sort((a, b) => direction * compareValues(a.value, b.value));
      out.push(...sorted.slice(0, param ?? 1));
      continue;
    }
    out.push({ labels, value: aggregateValues(op, members.map((m) => m.value)) });
  }
  return out;
}

export function groupLabels(labels: Readonly<Record<string, string>>, grouping: Grouping | undefined): Record<string, string> {
  if (grouping === undefined) return {};
  const out: Record<string, string> = {};
  if (grouping.without) {
    const dropped = new Set([...grouping.labels, '__name__']);
    for (const name of Object.keys(labels)) if (!dropped.has(name)) out[name] = labels[name]!;
  } else {
    for (const name of grouping.labels) if (Object.hasOwn(labels, name)) out[name] = labels[name]!;
  }
  return sortLabels(out);
}

function aggregateValues(op: Exclude<VectorAggregationOp, 'topk' | 'bottomk' | 'sort' | 'sort_desc'>, values: number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'count':
      return values.length;
    case 'min':
      return values.reduce((a, b) => (Number.isNaN(a) || b < a ? b : a));
    case 'max':
      return values.reduce((a, b) => (Number.isNaN(a) || b > a ? b : a));
    case 'stdvar':
    case 'stddev': {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / values.length;
      return op === 'stdvar' ? variance : Math.sqrt(variance);
    }
  }
}

/** NaN sorts last either way, as Prometheus' topk treats it. */
function compareValues(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}
