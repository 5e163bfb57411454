/** One sample of Prometheus' text exposition format. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text of /metrics (comments and malformed lines are skipped). */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, name, raw] of (match[3] ?? '').matchAll(LABEL)) labels[name!] = unescape(raw!);
    const value = match[4] === '+Inf' ? Infinity : match[4] === '-Inf' ? -Infinity : Number(match[4]);
    if (Number.isNaN(value)) continue;
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Sum of every sample of `name` whose labels include `where`. */
export function sumOf(samples: PromSample[], name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) if (s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)) total += s.value;
  return total;
}

/** Per-second rate of a counter between two reads, per value of one label (counter resets count as 0). */
export function counterRates(
  before: { at: number; samples: PromSample[] },
  after: { at: number; samples: PromSample[] },
  name: string,
  by: string,
): Map<string, number> {
  const seconds = (after.at - before.at) / 1000;
  const rates = new Map<string, number>();
  if (seconds <= 0) return rates;
  const previous = new Map<string, number>();
  for (const s of before.samples) if (s.name === name) previous.set(s.labels[by] ?? '', s.value);
  for (const s of after.samples) {
    if (s.name !== name) continue;
    const key = s.labels[by] ?? '';
    const delta = s.value - (previous.get(key) ?? s.value);
    rates.set(key, delta >= 0 ? delta / seconds : 0);
  }
  return rates;
}
