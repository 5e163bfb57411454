/** A stream of a log query's result, as the engine returns it: final labels and `[ns string, line]` pairs. */
export interface TailStream {
  stream: Record<string, string>;
  values: [string, string][];
}

export interface DroppedEntry {
  labels: Record<string, string>;
  /** Epoch ns as a decimal string. */
  timestamp: string;
}

/** One WebSocket message of Loki's /loki/api/v1/tail (pkg/loghttp TailResponse). */
export function encodeTailMessage(streams: TailStream[], dropped: DroppedEntry[]): string {
  return JSON.stringify({ streams, dropped_entries: dropped.length === 0 ? null : dropped });
}
