import type { Logger } from '../../log/logger.js';
import type { ProduceRecord } from '../../store/index.js';
import { WorkerCalls } from '../../worker-calls.js';
import { parseJson } from '../params.js';
import { parseJsonRecords, type RecordLimits } from '../record-codec.js';
import { unpackRecords, type PackedRecords } from './packed-records.js';

/** Under a TypeScript loader (vitest runs the sources) there is no .js file for a thread: inline only. */
const WORKER_URL = new URL('./json-records-worker.js', import.meta.url);
export const PARSER_THREAD_AVAILABLE = import.meta.url.endsWith('.js');

/** Smaller bodies parse inline: the round trip between threads costs more than their parse. */
const MIN_THREAD_BYTES = 32 * 1024;
/** With this many bodies already waiting on the thread, the next parses inline, so both threads work. */
const MAX_QUEUED = 2;

/**
 * Parses JSON produce bodies (`{"records":[...]}`) into records, large ones on a thread of their own.
 * JSON.parse of a 1,000-record body and the string-to-bytes conversion of its values (~1 ms) are half
 * of a JSON produce's CPU; on the HTTP thread they held it to about half the NDJSON rate while the
 * second core idled. The body moves to the thread without a copy and the records come back packed in
 * one buffer (packed-records.ts). Measured (bench -- store, 4 clients, 1,000-record bodies): 430-514k
 * records/s inline, 440-627k with the thread; the parse itself, not the hand-over, is then the limit.
 * If the thread dies, parsing goes on inline; the requests in flight answer 503 unavailable, and
 * nothing of theirs was stored.
 */
export class JsonRecordsParser {
  private readonly threads: Array<WorkerCalls<PackedRecords>> = [];

  constructor(options: { threads: number; logger: Logger }) {
    if (!PARSER_THREAD_AVAILABLE) return;
    for (let i = 0; i < options.threads; i++) {
      this.threads.push(
        new WorkerCalls<PackedRecords>(WORKER_URL, 'sluice-json-records', (err) =>
          options.logger.error('a JSON produce parser thread failed; the others and the main thread parse from now on', { err }),
        ),
      );
    }
  }

  get mode(): 'thread' | 'inline' {
    return this.threads.some((t) => t.alive) ? 'thread' : 'inline';
  }

  async parse(body: Buffer, limits: RecordLimits): Promise<ProduceRecord[]> {
    let thread: WorkerCalls<PackedRecords> | null = null;
    if (body.length >= MIN_THREAD_BYTES) {
      for (const t of this.threads) if (t.alive && t.inFlight < MAX_QUEUED && (thread === null || t.inFlight < thread.inFlight)) thread = t;
    }
    if (thread === null) return parseJsonRecords(parseJson(body), limits);
    // Move the body's memory when the body owns all of it; a view into a shared buffer is copied.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const sent = owned ? body : new Uint8Array(body);
    const packed = await thread.call({ body: sent, maxRecordBytes: limits.maxRecordBytes }, [sent.buffer as ArrayBuffer]);
    return unpackRecords(packed);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close('JSON produce parser closed')));
  }
}
