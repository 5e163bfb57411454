import { chunkTransferList } from '../../record-chunk.js';
import type { ShardLink } from './shard-link.js';
import type { FlushReport, FromShard, ToShard, ToShardRequest } from './shard-protocol.js';

export interface ShardEvents {
  flushed(report: FlushReport): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
  failed(err: Error): void;
}

/** Requests to a shard as promises: each message carries an id, and the shard's reply settles it. */
export class ShardClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private failure: Error | null = null;

  constructor(
    readonly index: number,
    private readonly link: ShardLink,
    events: ShardEvents,
  ) {
    link.onMessage((message: FromShard) => {
      if (message.type === 'reply') {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error === undefined) waiter?.resolve();
        else waiter?.reject(new Error(message.error));
      } else if (message.type === 'flushed') {
        events.flushed(message.report);
      } else {
        events.log(message.level, message.msg, message.fields);
      }
    });
    link.onFailure((err) => {
      this.failure = err;
      for (const waiter of this.pending.values()) waiter.reject(err);
      this.pending.clear();
      events.failed(err);
    });
  }

  get mode(): 'thread' | 'inline' {
    return this.link.mode;
  }

  request(message: ToShardRequest): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const full = { ...message, id } as ToShard;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.link.post(full, full.type === 'records' ? chunkTransferList(full.chunk) : []);
    });
  }

  notify(message: Extract<ToShard, { type: 'demote' }>): void {
    if (!this.failure) this.link.post(message);
  }

  async close(): Promise<void> {
    try {
      if (!this.failure) await this.request({ type: 'close' });
    } finally {
      await this.link.terminate();
    }
  }
}
