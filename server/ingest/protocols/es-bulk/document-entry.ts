
/** A document as a log entry, not yet validated: `ts` is `@timestamp` as sent. */
export interface DocumentEntry {
  ts: unknown;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** ECS fields that become labels, by label name. Both `{"log":{"level":…}}` and `{"log.level":…}` are read. */
const LABEL_FIELDS: ReadonlyArray<readonly [label: string, parent: string, child: string]> = [
  ['level', 'log', 'level'],
  ['host', 'host', 'name'],
  ['service', 'service', 'name'],
];

/**
 * One Elasticsearch document → a Sluice log entry:
 * - `@timestamp` → `ts` (RFC 3339, or an epoch number read by magnitude; absent: time of arrival);
 * - `message` → `line`;
 * - `log.level`, `host.name`, `service.name` → labels `level`, `host`, `service` (non-empty scalars);
 *   the index (the action's `_index`, else the URL's) → label `index`;
 * - everything else → `fields`, nested as sent (LogQL flattens `{"http":{"status":200}}` to
 *   `http_status`). A parent object left empty by taking a label out of it is dropped.
 * A document with no string `message` keeps its other fields as the line, in JSON, and has no `fields`
 * (so `| json` reads it, and nothing is stored twice).
 * The entry is checked by the Ingestor's validator (normalizeLogEntry), like every other way in.
 * `doc` is the parsed document line and is taken apart in place.
 */
export function documentEntry(doc: Record<string, unknown>, index: string): DocumentEntry {
  const labels: Record<string, string> = { index };
  for (const [label, parent, child] of LABEL_FIELDS) {
    const value = takeField(doc, parent, child);
    if (value !== '') labels[label] = value;
  }
  const ts = doc['@timestamp'];
  delete doc['@timestamp'];
  const message = doc.message;
  if (typeof message === 'string') {
    delete doc.message;
    const entry: DocumentEntry = { ts, line: message, labels };
    for (const _ in doc) {
      entry.fields = doc;
      break;
    }
    return entry;
  }
  return { ts, line: JSON.stringify(doc), labels };
}

/** Removes `parent.child` (dotted key or nested) from the document; its value as a label value, or ''. */
function takeField(doc: Record<string, unknown>, parent: string, child: string): string {
  const dotted = `${parent}.${child}`;
  if (Object.hasOwn(doc, dotted) && isScalar(doc[dotted])) {
    const value = String(doc[dotted]);
    delete doc[dotted];
    return value;
  }
  const object = doc[parent];
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return '';
  const nested = object as Record<string, unknown>;
  if (!Object.hasOwn(nested, child) || !isScalar(nested[child])) return '';
  const value = String(nested[child]);
  delete nested[child];
  let empty = true;
  for (const _ in nested) {
    empty = false;
    break;
  }
  if (empty) delete doc[parent];
  return value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
