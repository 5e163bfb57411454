import type { LogEntry } from '../../log-entry.js';
import { entryTs, peerHost } from '../entry-time.js';
import { setField } from '../entry-fields.js';
import { RecentLabelSets } from '../recent-label-sets.js';
import { FACILITY_NAMES, SEVERITY_NAMES, levelForSeverity, type StructuredDataElement, type SyslogMessage } from './syslog-message.js';

/** Where a message came from and when, for what the message itself does not say. */
export interface SyslogArrival {
  peerAddress: string;
  arrivalMs: number;
  /** The frame was longer than the listener's limit and was cut. */
  truncated: boolean;
}

export interface SyslogEntry {
  entry: LogEntry;
  /** The token of an auth element in the structured data (never stored), or null. */
  token: string | null;
}

/**
 * Maps a syslog message to a log entry in the shape `POST /api/v1/logs` takes (the Ingestor validates
 * it like any other). Labels are few and bounded, since each distinct set is a stream:
 *
 * | syslog                         | entry                                                        |
 * |--------------------------------|--------------------------------------------------------------|
 * | HOSTNAME (else the peer's IP)  | label `host`                                                 |
 * | APP-NAME / TAG                 | label `service` (absent when the message has none)           |
 * | facility                       | label `facility` (kern, user, …, local7)                     |
 * | severity                       | label `level` (fatal/error/warn/info/debug), field `severity` |
 * | TIMESTAMP                      | `ts` (absent or unusable: time of arrival)                   |
 * | MSG                            | `line` (the whole text when it did not parse)                |
 * | PROCID, MSGID                  | fields `proc_id`, `msg_id`                                   |
 * | SD-ELEMENT `[id p="v"]`        | field `id: {p: "v"}` (a repeated param: an array)            |
 * | `[sluice@… token="…"]`         | the auth token; not stored                                   |
 * | parse failure, cut frame       | fields `syslog_error`, `syslog_truncated`                    |
 */
export function syslogEntry(message: SyslogMessage, arrival: SyslogArrival, memo = new SyslogEntryMemo()): SyslogEntry {
  const host = message.hostname ?? peerHost(arrival.peerAddress);
  const labels = memo.labels(message.facility, message.severity, host, message.appName);
  const { fields, token } = message.error === null && !arrival.truncated ? memo.fields(message) : messageFields(message, arrival.truncated);
  return { entry: { ts: entryTs(message.timestampNs, arrival.arrivalMs), line: message.message, labels, fields }, token };
}

/** How many field sets a SyslogEntryMemo remembers. */
const RECENT_FIELD_SETS = 8;

/**
 * The label sets and fields of a stream's recent messages. A sender repeats them (one host, a few
 * programs and severities, the same structured data), and entries that share one object are encoded
 * once per request (log-records.ts), so a repeat gets the object of the last message like it. Shared
 * objects are never changed after they are made.
 */
export class SyslogEntryMemo {
  private readonly labelSets = new RecentLabelSets();
  private readonly fieldSets: Array<{ seen: FieldsKey; made: MessageFields }> = [];

  labels(facility: number, severity: number, host: string, appName: string | null): Record<string, string> {
    const facilityName = FACILITY_NAMES[facility]!;
    const level = levelForSeverity(severity);
    const known = this.labelSets.find(facilityName, level, host, appName);
    if (known !== null) return known;
    const labels: Record<string, string> = { facility: facilityName, host, level };
    if (appName !== null) labels.service = appName;
    return this.labelSets.add(facilityName, level, host, appName, labels);
  }

  /** For a message that parsed (no `error`) from a whole frame. */
  fields(message: SyslogMessage): MessageFields {
    for (const { seen, made } of this.fieldSets) {
      if (seen.severity === message.severity && seen.procId === message.procId && seen.msgId === message.msgId && sameElements(seen.structuredData, message.structuredData)) return made;
    }
    const made = messageFields(message, false);
    const { severity, procId, msgId, structuredData } = message;
    if (this.fieldSets.length === RECENT_FIELD_SETS) this.fieldSets.pop();
    this.fieldSets.unshift({ seen: { severity, procId, msgId, structuredData }, made });
    return made;
  }
}

/** An entry's fields, and the auth token taken out of the structured data (never stored). */
type MessageFields = { fields: Record<string, unknown>; token: string | null };

/** What a message's fields are made of, when it parsed from a whole frame. */
type FieldsKey = Pick<SyslogMessage, 'severity' | 'procId' | 'msgId' | 'structuredData'>;

/** Structured data is compared by identity: the parser's memo hands out the same elements for the same text. */
function sameElements(a: StructuredDataElement[], b: StructuredDataElement[]): boolean {
  return a === b || (a.length === 0 && b.length === 0);
}

function messageFields(message: SyslogMessage, truncated: boolean): MessageFields {
  const fields: Record<string, unknown> = { severity: SEVERITY_NAMES[message.severity] };
  if (message.procId !== null) fields.proc_id = message.procId;
  if (message.msgId !== null) fields.msg_id = message.msgId;
  let token: string | null = null;
  for (const element of message.structuredData) {
    if (isAuthElement(element)) {
      token = element.params.find(([name]) => name === 'token')?.[1] ?? token;
      continue;
    }
    setField(fields, element.id, paramsObject(element));
  }
  if (message.error !== null) fields.syslog_error = message.error;
  if (truncated) fields.syslog_truncated = true;
  return { fields, token };
}

/** `[sluice token="…"]`, or with any enterprise number, `[sluice@32473 token="…"]`. */
function isAuthElement(element: StructuredDataElement): boolean {
  return element.id === 'sluice' || element.id.startsWith('sluice@');
}

function paramsObject(element: StructuredDataElement): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of element.params) {
    const previous = Object.hasOwn(out, name) ? out[name] : undefined;
    setField(out, name, previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]);
  }
  return out;
}
