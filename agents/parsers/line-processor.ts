import type { SourceConfig } from '../config/agent-config.js';
import type { RawLine, ShipEntry } from '../pipeline-types.js';
import type { FieldParser } from './field-parser.js';
import { parseFieldTimestamp } from './field-timestamp.js';
import { parseJsonLine } from './json-parser.js';
import { normalizeLevel } from './level.js';
import { parseLogfmtLine } from './logfmt-parser.js';
import { createRegexParser } from './regex-parser.js';

/** The field that says why a line's fields or timestamp could not be read. Labels never carry it: a label would make a stream per reason. */
export const PARSE_ERROR_FIELD = '_parse_error';

const NS_PER_MS = 1_000_000n;

export type LineProcessor = (line: RawLine) => ShipEntry;

/**
 * Turns lines of one source into entries to ship. Labels are the agent's, then the source's, then
 * `filename` and (when `levelField` names a level) `level`: the last two describe the line itself, so
 * they win over a static label of the same name.
 *
 * The processor never throws and never drops a line. A line its parser cannot read ships as it is,
 * with only `_parse_error` in its fields; a timestamp field that cannot be read keeps the other
 * fields, adds `_parse_error`, and the line takes its read time.
 *
 * Throws at creation (not per line) if the source's regex does not compile; the config loader has
 * already checked it, so that only happens to a config that bypassed it.
 */
export function createLineProcessor(source: SourceConfig, agentLabels: Record<string, string>): LineProcessor {
  const parse = fieldParserFor(source);
  const staticLabels = { ...agentLabels, ...source.labels };
  return (line) => {
    const labels: Record<string, string> = { ...staticLabels, filename: line.path };
    const readAtNs = (BigInt(Math.round(line.readAt)) * NS_PER_MS).toString();
    if (parse === null) return { ts: readAtNs, line: line.text, labels };
    const parsed = parse(line.text);
    if (!parsed.ok) return { ts: readAtNs, line: line.text, labels, fields: { [PARSE_ERROR_FIELD]: parsed.reason } };

    const fields = parsed.fields;
    if (source.levelField !== undefined) {
      const level = normalizeLevel(fieldValue(fields, source.levelField));
      if (level !== undefined) labels.level = level;
    }
    let ts = readAtNs;
    if (source.timestampField !== undefined) {
      const raw = fieldValue(fields, source.timestampField);
      if (raw === undefined) {
        fields[PARSE_ERROR_FIELD] = `timestamp field ${source.timestampField} is missing`;
      } else {
        try {
          ts = parseFieldTimestamp(raw, source.timestampFormat).toString();
        } catch (err) {
          fields[PARSE_ERROR_FIELD] = `timestamp field ${source.timestampField}: ${(err as Error).message}`;
        }
      }
    }
    return { ts, line: line.text, labels, fields };
  };
}

function fieldParserFor(source: SourceConfig): FieldParser | null {
  switch (source.parser) {
    case 'none':
      return null;
    case 'json':
      return parseJsonLine;
    case 'logfmt':
      return parseLogfmtLine;
    case 'regex':
      // The schema insists on a pattern for "regex"; the empty-string fallback only satisfies the type.
      return createRegexParser(source.pattern ?? '');
  }
}

/**
 * A field by name, or by dotted path into nested objects when no field has the whole name: ECS writes
 * `"log.level"` as one key, pino's child loggers nest `{"req":{"id":...}}`.
 */
export function fieldValue(fields: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(fields, name)) return fields[name];
  let value: unknown = fields;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
