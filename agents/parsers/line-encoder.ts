import type { SourceConfig } from '../config/agent-config.js';
import type { RawLine } from '../pipeline-types.js';
import { createLineProcessor } from './line-processor.js';

/** A line of one source as the JSON text of its ShipEntry: one NDJSON line of the request body. */
export type LineEncoder = (line: RawLine) => string;

/**
 * Encodes lines of one source straight to JSON text: the ShipEntry createLineProcessor makes of them.
 *
 * Lines without a parser, the common case and the one that has to go at 100k lines/s, skip the
 * ShipEntry object: the labels' JSON is made once per file path and reused, and `ts` is the read
 * time, made once per millisecond. Only the line itself is escaped per line (JSON.stringify of a
 * string). Their labels are sorted by name and the keys come in the server's stored order (ts, line,
 * labels), which lets the server store each line as sent instead of re-encoding it
 * (server/ingest/log-records.ts). Parsed lines carry their own fields, level and timestamp, so they
 * go through the processor and one JSON.stringify.
 */
export function createLineEncoder(source: SourceConfig, agentLabels: Record<string, string>): LineEncoder {
  if (source.parser !== 'none') {
    const process = createLineProcessor(source, agentLabels);
    return (line) => JSON.stringify(process(line));
  }
  const staticLabels = { ...agentLabels, ...source.labels };
  // One entry each: lines come in runs from one file and one read, so these hit almost always, and
  // stay bounded however many files come and go.
  let labelsPath: string | undefined;
  let labelsJson = '';
  let tsMs = -1;
  let tsJson = '';
  return (line) => {
    if (line.path !== labelsPath) {
      labelsPath = line.path;
      labelsJson = JSON.stringify(sortedByName({ ...staticLabels, filename: line.path }));
    }
    const ms = Math.round(line.readAt);
    if (ms !== tsMs) {
      tsMs = ms;
      tsJson = `"${readAtNs(ms)}"`;
    }
    return `{"ts":${tsJson},"line":${JSON.stringify(line.text)},"labels":${labelsJson}}`;
  };
}

function sortedByName(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Epoch ms → ns as a decimal string, without BigInt: appending six zeros is exact for any integer ms. */
function readAtNs(ms: number): string {
  return ms === 0 ? '0' : `${ms}000000`;
}
