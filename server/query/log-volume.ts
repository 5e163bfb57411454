import type { LabelMatcher, LogSource, Nanos } from './log-source.js';

export interface VolumeRequest {
  matchers: LabelMatcher[];
  startNs: Nanos;
  endNs: Nanos;
  /** Labels to group by; null: the labels the selector names (Loki's default). */
  targetLabels: string[] | null;
  /** Largest groups kept. */
  limit: number;
  signal?: AbortSignal;
}

export interface VolumeGroup {
  labels: Record<string, string>;
  bytes: number;
}

/**
 * Loki's index/volume: bytes of log lines in [startNs, endNs) per group of streams, largest first. A
 * source with pre-aggregated counts (bucketCounts) answers without reading lines.
 */
export async function logVolume(source: LogSource, request: VolumeRequest): Promise<VolumeGroup[]> {
  const names = request.targetLabels ?? [...new Set(request.matchers.map((m) => m.name))];
  const groups = new Map<string, VolumeGroup>();
  const add = (labels: Record<string, string>, bytes: number) => {
    const picked: Record<string, string> = {};
    for (const name of names) if (labels[name] !== undefined) picked[name] = labels[name];
    const key = JSON.stringify(picked);
    const group = groups.get(key);
    if (group) group.bytes += bytes;
    else groups.set(key, { labels: picked, bytes });
  };
  if (source.bucketCounts) {
    const buckets = await source.bucketCounts({ matchers: request.matchers, startNs: request.startNs, endNs: request.endNs, bucketNs: request.endNs - request.startNs, signal: request.signal });
    for (const stream of buckets) add(stream.labels, stream.bytes.reduce((a, b) => a + b, 0));
  } else {
    const entries = source.select({ matchers: request.matchers, lineFilters: [], startNs: request.startNs, endNs: request.endNs, direction: 'forward', signal: request.signal });
    for await (const entry of entries) add(entry.labels, Buffer.byteLength(entry.line));
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, request.limit);
}
