import type { Logger } from '../../log/logger.js';
import type { ProduceRecord } from '../../store/index.js';
import { WORKER_THREADS_AVAILABLE, WorkerCalls } from '../../worker-calls.js';
import { parseJson } from '../params.js';
import { parseJsonRecords, type RecordLimits } from '../record-codec.js';
import { unpackRecords, type PackedRecords } from './packed-records.js';

/** The worker script beside this module; where none can be loaded, parsing runs inline. */
const WORKER_URL = new URL('./json-records-worker.js', import.meta.url);

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
  private readonly thread: WorkerCalls<PackedRecords> | null = null;

  constructor(options: { thread: boolean; logger: Logger }) {
    if (!options.thread || !WORKER_THREADS_AVAILABLE) return;
    this.thread = new WorkerCalls<PackedRecords>(WORKER_URL, 'sluice-json-records', (err) =>
      options.logger.error('JSON produce parser thread failed; parsing on the main thread from now on', { err }),
    );
  }

  get mode(): 'thread' | 'inline' {
    return this.thread?.alive ? 'thread' : 'inline';
  }

  async parse(body: Buffer, limits: RecordLimits): Promise<ProduceRecord[]> {
    const thread = this.thread;
    if (thread === null || !thread.alive || body.length < MIN_THREAD_BYTES || thread.inFlight >= MAX_QUEUED) {
      return parseJsonRecords(parseJson(body), limits);
    }
    // Move the body's memory when the body owns all of it; a view into a shared buffer is copied.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const sent = owned ? body : new Uint8Array(body);
    const packed = await thread.call({ body: sent, maxRecordBytes: limits.maxRecordBytes }, [sent.buffer as ArrayBuffer]);
    return unpackRecords(packed);
  }

  async close(): Promise<void> {
    await this.thread?.close('JSON produce parser closed');
  }
}
