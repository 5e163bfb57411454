import { SluiceError } from '../errors.js';

/**
 * How deeply JSON may nest in a request body. Real payloads (OTLP's nested values included) stay far
 * below it; a body of a million `[` parses fine but later overflows the stack of any recursive walk
 * (JSON.stringify when the entry is stored), which would be a 500 instead of a 400.
 */
export const MAX_JSON_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Refuses a JSON (or NDJSON) body that nests deeper than `maxDepth`, before it is parsed. One pass;
 * string contents are skipped with indexOf (native), so it costs a few ms per MiB. It only counts
 * brackets: whether the JSON is valid is the parser's business.
 */
export function assertJsonDepth(body: Uint8Array, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  for (let i = 0; i < buffer.length; i++) {
    const c = buffer[i];
    if (c === QUOTE) {
      // Skip to the closing quote: one not preceded by an odd number of backslashes.
      for (;;) {
        const close = buffer.indexOf(QUOTE, i + 1);
        if (close === -1) return;
        let backslashes = 0;
        for (let k = close - 1; buffer[k] === BACKSLASH; k--) backslashes++;
        i = close;
        if ((backslashes & 1) === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw new SluiceError('invalid_request', `JSON nests deeper than ${maxDepth} levels`);
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
}

/** Whether a Content-Type names JSON or NDJSON (a missing one is read as JSON by our endpoints). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.endsWith('/json') || type.endsWith('+json') || type.endsWith('ndjson') || type.endsWith('/jsonl');
}
