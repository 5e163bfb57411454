import { SluiceError } from '../../../errors.js';
import { isCanonicalNs } from '../../timestamp.js';
import { submittedTs, type SubmittedEntry } from '../submitted-ts.js';

/**
 * Loki's JSON push body:
 * `{"streams":[{"stream":{"job":"api"},"values":[["<epoch ns>","line",{"trace_id":"…"}?], …]}]}`.
 * The timestamp is a string of epoch nanoseconds (a JSON integer is taken too); the optional third
 * element is the entry's structured metadata, an object of strings, which becomes `fields`. Labels are
 * handed on as sent: the Ingestor validates them as for every other way in.
 */
export function jsonPushEntries(body: Buffer): SubmittedEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new SluiceError('invalid_request', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.streams)) throw new SluiceError('invalid_request', 'body must be an object with a "streams" array');
  const entries: SubmittedEntry[] = [];
  parsed.streams.forEach((stream: unknown, s: number) => {
    if (!isObject(stream)) throw streamError(s, 'must be an object');
    const labels = stream.stream as Record<string, string>;
    if (!isObject(labels)) throw streamError(s, '"stream" must be an object of labels');
    if (!Array.isArray(stream.values)) throw streamError(s, '"values" must be an array');
    stream.values.forEach((value: unknown, v: number) => {
      if (!Array.isArray(value) || value.length < 2 || value.length > 3) throw valueError(s, v, 'must be ["<epoch ns>", "<line>"] or ["<epoch ns>", "<line>", {metadata}]');
      const [ts, line, metadata] = value as [unknown, unknown, unknown];
      if (typeof line !== 'string') throw valueError(s, v, 'the line must be a string');
      const entry: SubmittedEntry = { ts: pushTs(ts, s, v), line, labels };
      if (metadata !== undefined && metadata !== null) entry.fields = structuredMetadata(metadata, s, v);
      entries.push(entry);
    });
  });
  return entries;
}

const EPOCH_NS = /^\d{1,20}$/;
/** The entry's `ts`: the usual canonical ns string as it is, without a BigInt round trip. */
function pushTs(raw: unknown, s: number, v: number): string | undefined {
  return isCanonicalNs(raw) ? raw : submittedTs(parseNs(raw, s, v));
}

function parseNs(raw: unknown, s: number, v: number): bigint {
  if (typeof raw === 'string' && EPOCH_NS.test(raw)) return BigInt(raw);
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return BigInt(raw);
  throw valueError(s, v, 'the timestamp must be a string of epoch nanoseconds');
}

function structuredMetadata(raw: unknown, s: number, v: number): Record<string, string> {
  if (!isObject(raw)) throw valueError(s, v, 'structured metadata must be an object of strings');
  for (const key in raw) {
    if (typeof raw[key] !== 'string') throw valueError(s, v, `structured metadata ${JSON.stringify(key.slice(0, 64))} must be a string`);
  }
  return raw as Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function streamError(s: number, message: string): SluiceError {
  return new SluiceError('invalid_request', `stream ${s}: ${message}`);
}

function valueError(s: number, v: number, message: string): SluiceError {
  return new SluiceError('invalid_request', `stream ${s}, value ${v}: ${message}`);
}
