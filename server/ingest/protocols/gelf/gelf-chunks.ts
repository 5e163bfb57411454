/** GELF chunk header (Graylog docs, "GELF via UDP"): magic 0x1e 0x0f, 8-byte message id, seq, count. */
const HEADER_BYTES = 12;
/** Graylog drops a message of more than 128 chunks, and an incomplete one after 5 s. */
const MAX_CHUNKS = 128;

export function isGelfChunk(datagram: Buffer): boolean {
  return datagram.length >= 2 && datagram[0] === 0x1e && datagram[1] === 0x0f;
}

export interface GelfChunkLimits {
  timeoutMs: number;
  /** Incomplete messages held at once, over all senders. */
  maxMessages: number;
  /** Bytes of chunks held at once, over all senders. */
  maxBytes: number;
}

export const DEFAULT_CHUNK_LIMITS: GelfChunkLimits = { timeoutMs: 5000, maxMessages: 1024, maxBytes: 64 * 1024 * 1024 };

export type ChunkResult =
  | { kind: 'complete'; payload: Buffer }
  | { kind: 'pending' }
  /** Not stored: a malformed header, or no room for another message. */
  | { kind: 'rejected'; reason: 'malformed_chunk' | 'chunk_buffer_full' };

interface PartialMessage {
  chunks: Array<Buffer | undefined>;
  received: number;
  bytes: number;
  firstAtMs: number;
}

/**
 * Reassembles chunked GELF messages. A message is keyed by its sender and its id (two senders may pick
 * the same id); a chunk seen twice counts once. Memory is bounded by `maxMessages` and `maxBytes`;
 * messages not complete within `timeoutMs` are dropped (`expire`, also run on every chunk).
 */
export class GelfChunkAssembler {
  /** Insertion-ordered: the oldest message is first, so expiry stops at the first one still in time. */
  private readonly partial = new Map<string, PartialMessage>();
  private bytes = 0;

  constructor(private readonly limits: GelfChunkLimits = DEFAULT_CHUNK_LIMITS) {}

  get pendingMessages(): number {
    return this.partial.size;
  }

  add(datagram: Buffer, sender: string, nowMs: number): ChunkResult {
    // An empty chunk is legal: gelf-pro sends one when the payload is a multiple of its chunk size.
    if (datagram.length < HEADER_BYTES) return { kind: 'rejected', reason: 'malformed_chunk' };
    const seq = datagram[10]!;
    const count = datagram[11]!;
    if (count === 0 || count > MAX_CHUNKS || seq >= count) return { kind: 'rejected', reason: 'malformed_chunk' };
    const data = datagram.subarray(HEADER_BYTES);
    if (count === 1) return { kind: 'complete', payload: data };
    const key = `${sender}/${datagram.toString('hex', 2, 10)}`;
    let message = this.partial.get(key);
    if (message === undefined) {
      if (this.partial.size >= this.limits.maxMessages) return { kind: 'rejected', reason: 'chunk_buffer_full' };
      message = { chunks: new Array(count), received: 0, bytes: 0, firstAtMs: nowMs };
      this.partial.set(key, message);
    } else if (message.chunks.length !== count) {
      return { kind: 'rejected', reason: 'malformed_chunk' };
    }
    if (message.chunks[seq] === undefined) {
      if (this.bytes + data.length > this.limits.maxBytes) return { kind: 'rejected', reason: 'chunk_buffer_full' };
      // A copy: the datagram's buffer is not ours to keep.
      message.chunks[seq] = Buffer.from(data);
      message.received += 1;
      message.bytes += data.length;
      this.bytes += data.length;
    }
    if (message.received < count) return { kind: 'pending' };
    this.forget(key, message);
    return { kind: 'complete', payload: Buffer.concat(message.chunks as Buffer[]) };
  }

  /** Drops messages older than the timeout; returns how many. */
  expire(nowMs: number): number {
    // Run for every datagram: most are whole messages, with nothing pending.
    if (this.partial.size === 0) return 0;
    let dropped = 0;
    for (const [key, message] of this.partial) {
      if (nowMs - message.firstAtMs < this.limits.timeoutMs) break;
      this.forget(key, message);
      dropped += 1;
    }
    return dropped;
  }

  private forget(key: string, message: PartialMessage): void {
    this.partial.delete(key);
    this.bytes -= message.bytes;
  }
}
