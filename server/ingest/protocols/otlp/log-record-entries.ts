import { submittedTs, type SubmittedEntry } from '../submitted-ts.js';
import { anyValue, array, idHex, int32, int64, keyValues, object, string } from './otlp-values.js';
import { severityLevel } from './severity.js';

/** Resource attributes that become labels, by attribute name. */
const RESOURCE_LABELS: ReadonlyArray<readonly [attribute: string, label: string]> = [
  ['service.name', 'service'],
  ['host.name', 'host'],
];

/**
 * An ExportLogsServiceRequest (decoded protobuf or parsed OTLP/JSON, same property names) → Sluice log
 * entries, one per LogRecord:
 * - labels: resource `service.name` → `service`, `host.name` → `host`; severity → `level` (severity.ts);
 * - line: the body (a string as it is; any other value as JSON);
 * - ts: `timeUnixNano`, else `observedTimeUnixNano`, else the time of arrival;
 * - fields: the other resource attributes, then the record's attributes (which win on a clash), under
 *   their OTel names (`http.status_code`; LogQL reads it as `http_status_code`), plus `trace_id` and
 *   `span_id` in hex, `scope_name`/`scope_version` and `event_name` when set.
 * The label objects of one resource are shared by its records, and the entries come out grouped by
 * label object, each group in request order: the Ingestor's encoder reuses a stream's validated labels
 * for the next entry only when it is of the same stream, and order only matters within a stream.
 */
export function logRecordEntries(request: unknown): SubmittedEntry[] {
  const streams = new Map<Record<string, string>, SubmittedEntry[]>();
  const resourceLogs = array(object(request, 'body')?.resourceLogs, 'resourceLogs');
  resourceLogs.forEach((rlRaw, r) => {
    const rl = object(rlRaw, `resourceLogs[${r}]`);
    if (rl === null) return;
    const resourceFields = keyValues(object(rl.resource, `resourceLogs[${r}].resource`)?.attributes, `resourceLogs[${r}].resource.attributes`);
    const resourceLabels: Record<string, string> = {};
    for (const [attribute, label] of RESOURCE_LABELS) {
      const value = resourceFields[attribute];
      if (value === undefined) continue;
      delete resourceFields[attribute];
      if (typeof value === 'string' && value !== '') resourceLabels[label] = value;
    }
    const labelsByLevel = new Map<string | null, Record<string, string>>();
    const labelsFor = (level: string | null) => {
      let labels = labelsByLevel.get(level);
      if (labels === undefined) {
        labels = level === null ? resourceLabels : { ...resourceLabels, level };
        labelsByLevel.set(level, labels);
      }
      return labels;
    };
    array(rl.scopeLogs, `resourceLogs[${r}].scopeLogs`).forEach((slRaw, s) => {
      const where = `resourceLogs[${r}].scopeLogs[${s}]`;
      const sl = object(slRaw, where);
      if (sl === null) return;
      const scope = object(sl.scope, `${where}.scope`);
      const scopeName = string(scope?.name, `${where}.scope.name`);
      const scopeVersion = string(scope?.version, `${where}.scope.version`);
      array(sl.logRecords, `${where}.logRecords`).forEach((recordRaw, l) => {
        const at = `${where}.logRecords[${l}]`;
        const record = object(recordRaw, at);
        if (record === null) return;
        // Spread, not Object.assign: it defines keys, so a `__proto__` attribute stays a key.
        const fields: Record<string, unknown> = { ...resourceFields };
        keyValues(record.attributes, `${at}.attributes`, 0, fields);
        const traceId = idHex(record.traceId, `${at}.traceId`);
        if (traceId !== '') fields.trace_id = traceId;
        const spanId = idHex(record.spanId, `${at}.spanId`);
        if (spanId !== '') fields.span_id = spanId;
        if (scopeName !== '') fields.scope_name = scopeName;
        if (scopeVersion !== '') fields.scope_version = scopeVersion;
        const eventName = string(record.eventName, `${at}.eventName`);
        if (eventName !== '') fields.event_name = eventName;

        const body = anyValue(record.body, `${at}.body`);
        const time = int64(record.timeUnixNano, `${at}.timeUnixNano`);
        const observed = time === 0n ? int64(record.observedTimeUnixNano, `${at}.observedTimeUnixNano`) : 0n;
        const level = severityLevel(int32(record.severityNumber, `${at}.severityNumber`), string(record.severityText, `${at}.severityText`));
        const entry: SubmittedEntry = {
          ts: submittedTs(time !== 0n ? time : observed !== 0n ? observed : null),
          line: typeof body === 'string' ? body : body === null ? '' : JSON.stringify(body),
          labels: labelsFor(level),
        };
        for (const _ in fields) {
          entry.fields = fields;
          break;
        }
        const stream = streams.get(entry.labels);
        if (stream === undefined) streams.set(entry.labels, [entry]);
        else stream.push(entry);
      });
    });
  });
  return [...streams.values()].flat();
}
