import { submittedTs, type SubmittedEntry } from '../submitted-ts.js';
import { parseLabelString } from './label-string.js';
import { timestampNs, type ProtoPushRequest } from './push-proto.js';

/**
 * Loki push → Sluice log entries: a stream's labels are the entries' labels (one object shared by all
 * entries of the stream, which the Ingestor's encoder validates once); an entry's structured metadata
 * becomes its `fields` (string values, as Loki has them). A timestamp before 1973 (or none) becomes
 * the time of arrival (submitted-ts.ts).
 */
export function protoPushEntries(request: ProtoPushRequest): SubmittedEntry[] {
  const entries: SubmittedEntry[] = [];
  const labelsByText = new Map<string, Record<string, string>>();
  for (const stream of request.streams) {
    let labels = labelsByText.get(stream.labels);
    if (labels === undefined) {
      labels = parseLabelString(stream.labels);
      labelsByText.set(stream.labels, labels);
    }
    for (const e of stream.entries) {
      const entry: SubmittedEntry = { ts: submittedTs(e.timestamp === null ? null : timestampNs(e.timestamp)), line: e.line, labels };
      if (e.structuredMetadata.length > 0) {
        const fields: Record<string, string> = {};
        for (const pair of e.structuredMetadata) fields[pair.name] = pair.value;
        entry.fields = fields;
      }
      entries.push(entry);
    }
  }
  return entries;
}
