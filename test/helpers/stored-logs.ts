import { http } from './server.js';

/** A log entry as stored in a log topic (server/ingest/log-entry.ts), with where it was stored. */
export interface StoredLog {
  partition: number;
  offset: number;
  ts: string;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** Every record of a log topic, read back through the records API, partition by partition. */
export async function readStoredLogs(base: string, topic = 'logs'): Promise<StoredLog[]> {
  const described = (await http(base, 'GET', `/api/v1/topics/${topic}`)).json;
  const out: StoredLog[] = [];
  for (const p of described.partitions) {
    const page = (await http(base, 'GET', `/api/v1/topics/${topic}/partitions/${p.partition}/records?offset=0&maxRecords=10000`)).json;
    for (const r of page.records) out.push({ partition: p.partition, offset: r.offset, ...JSON.parse(r.value) });
  }
  return out;
}

/** The lines a LogQL log query finds through Loki's query_range (last hour by default), each with its stream's labels. */
export async function queryLogLines(base: string, query: string, range = { sinceNs: BigInt(Date.now() - 3_600_000) * 1_000_000n, untilNs: BigInt(Date.now() + 60_000) * 1_000_000n }) {
  const res = await http(base, 'GET', `/loki/api/v1/query_range?query=${encodeURIComponent(query)}&start=${range.sinceNs}&end=${range.untilNs}&limit=5000`);
  if (res.status !== 200) throw new Error(`query_range ${query}: HTTP ${res.status} ${res.text}`);
  const lines: Array<{ ts: string; line: string; labels: Record<string, string> }> = [];
  for (const stream of res.json.data.result as Array<{ stream: Record<string, string>; values: [string, string][] }>) {
    for (const [ts, line] of stream.values) lines.push({ ts, line, labels: stream.stream });
  }
  return lines.sort((a, b) => (BigInt(a.ts) < BigInt(b.ts) ? -1 : BigInt(a.ts) > BigInt(b.ts) ? 1 : 0));
}
