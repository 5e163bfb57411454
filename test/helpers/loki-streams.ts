import { http } from './server.js';
import { waitFor } from './wait-for.js';

/** One stream of a Loki `streams` result. */
export interface Stream {
  stream: Record<string, string>;
  values: Array<[string, string]>;
}

/** A LogQL query over the last and next hour, through the Loki API, oldest line first. */
export async function queryStreams(url: string, logql: string): Promise<Stream[]> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const hour = 3600n * 1_000_000_000n;
  const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${encodeURIComponent(logql)}&start=${now - hour}&end=${now + hour}&limit=5000&direction=forward`);
  if (res.status !== 200) throw new Error(`query failed: ${res.status} ${res.text}`);
  return res.json.data.result;
}

/** The lines of the streams, stream by stream. */
export const streamLines = (streams: Stream[]) => streams.flatMap((s) => s.values.map((v) => v[1]));

/** Waits until the query finds at least `count` lines; returns its streams. */
export async function waitForStreamLines(url: string, logql: string, count: number): Promise<Stream[]> {
  return waitFor(async () => {
    const streams = await queryStreams(url, logql);
    return streamLines(streams).length >= count ? streams : null;
  }, 10_000, `${count} lines for ${logql}`);
}

/** The value of the first /metrics sample of `name` whose labels include every `k="v"` pair of `labels`; 0 when none. */
export async function metricValue(url: string, name: string, labels: string): Promise<number> {
  const text = (await http(url, 'GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((pair) => l.includes(pair)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}
