import { withField } from '../entry-fields.js';
import { RecentLabelSets } from '../recent-label-sets.js';

/** A document as a log entry, not yet validated: `ts` is `@timestamp` as sent. */
export interface DocumentEntry {
  ts: unknown;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** ECS fields that become labels: `{"log":{"level":…}}` or `{"log.level":…}` → label `level`, and so on. */
const NESTED_LABELS: Readonly<Record<string, readonly [child: string, label: Label]>> = { log: ['level', 'level'], host: ['name', 'host'], service: ['name', 'service'] };
const DOTTED_LABELS: Readonly<Record<string, Label>> = { 'log.level': 'level', 'host.name': 'host', 'service.name': 'service' };
type Label = 'level' | 'host' | 'service';

/**
 * The label objects of one request, one per distinct label set: entries of a stream share one object,
 * which the Ingestor validates once, and by which the bulk groups its entries (bulk-items.ts).
 */
export class LabelSets {
  private readonly sets = new Map<string, Record<string, string>>();
  /** The sets of the last few documents: a request interleaves a few streams, found without a key string. */
  private readonly recent = new RecentLabelSets();

  get(index: string, level: string, host: string, service: string): Record<string, string> {
    const recent = this.recent.find(index, level, host, service);
    if (recent !== null) return recent;
    const key = `${index}\u0000${level}\u0000${host}\u0000${service}`;
    let labels = this.sets.get(key);
    if (labels === undefined) {
      labels = { index };
      if (level !== '') labels.level = level;
      if (host !== '') labels.host = host;
      if (service !== '') labels.service = service;
      this.sets.set(key, labels);
    }
    return this.recent.add(index, level, host, service, labels);
  }
}

/**
 * One Elasticsearch document → a Sluice log entry:
 * - `@timestamp` → `ts` (RFC 3339, or an epoch number read by magnitude; absent: time of arrival);
 * - `message` → `line`;
 * - `log.level`, `host.name`, `service.name` → labels `level`, `host`, `service` (non-empty scalars;
 *   the first one seen when a document has both the dotted and the nested form, the other stays a
 *   field); the index (the action's `_index`, else the URL's) → label `index`;
 * - everything else → `fields`, nested as sent (LogQL flattens `{"http":{"status":200}}` to
 *   `http_status`). A parent object left empty by taking a label out of it is dropped.
 * A document with no string `message` keeps its other fields as the line, in JSON, and has no `fields`
 * (so `| json` reads it, and nothing is stored twice).
 * One pass that copies what it keeps rather than deleting from the parsed document: deleting
 * properties turns V8 objects into slow dictionaries, which every later read and the JSON encoding pay.
 */
export function documentEntry(doc: Record<string, unknown>, index: string, labelSets: LabelSets): DocumentEntry {
  let ts: unknown;
  let line: string | null = null;
  const found: Record<Label, string> = { level: '', host: '', service: '' };
  let rest: Record<string, unknown> | null = null;
  for (const key in doc) {
    const value = doc[key];
    if (key === '@timestamp') {
      ts = value;
      continue;
    }
    if (key === 'message' && typeof value === 'string' && line === null) {
      line = value;
      continue;
    }
    const dotted = DOTTED_LABELS[key];
    if (dotted !== undefined && Object.hasOwn(DOTTED_LABELS, key) && found[dotted] === '' && isScalar(value) && value !== '') {
      found[dotted] = String(value);
      continue;
    }
    const nested = Object.hasOwn(NESTED_LABELS, key) ? NESTED_LABELS[key] : undefined;
    if (nested !== undefined && found[nested[1]] === '' && isPlainObject(value)) {
      const child = value[nested[0]];
      if (isScalar(child) && child !== '') {
        found[nested[1]] = String(child);
        const others = without(value, nested[0]);
        if (others !== null) rest = withField(rest, key, others);
        continue;
      }
    }
    rest = withField(rest, key, value);
  }
  const labels = labelSets.get(index, found.level, found.host, found.service);
  if (line === null) return { ts, line: JSON.stringify(rest ?? {}), labels };
  return rest === null ? { ts, line, labels } : { ts, line, labels, fields: rest };
}

/** A copy of `object` without `key`, or null when nothing else is left. */
function without(object: Record<string, unknown>, key: string): Record<string, unknown> | null {
  let copy: Record<string, unknown> | null = null;
  for (const k in object) if (k !== key) copy = withField(copy, k, object[k]);
  return copy;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
