import type Database from 'better-sqlite3';
import type { OffsetCommit, TopicPartition } from '../topic-store.js';

export interface CommittedOffset extends TopicPartition {
  offset: number;
  metadata: string | null;
  committedAt: number;
}

/** Committed consumer-group offsets, durable in the metadata database. */
export class OffsetStore {
  private readonly upsert: Database.Statement;
  private readonly selectGroup: Database.Statement;
  private readonly selectOne: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO group_offsets (group_id, topic, partition, next_offset, metadata, committed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset,
         metadata = excluded.metadata, committed_at = excluded.committed_at`,
    );
    this.selectGroup = db.prepare('SELECT topic, partition, next_offset, metadata, committed_at FROM group_offsets WHERE group_id = ? ORDER BY topic, partition');
    this.selectOne = db.prepare('SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?');
  }

  /** Commits all offsets atomically. */
  commit(group: string, offsets: OffsetCommit[], now: number): void {
    this.db.transaction(() => {
      for (const o of offsets) this.upsert.run(group, o.topic, o.partition, o.offset, o.metadata ?? null, now);
    })();
  }

  committed(group: string, topic: string, partition: number): number | null {
    const row = this.selectOne.get(group, topic, partition) as { next_offset: number } | undefined;
    return row ? row.next_offset : null;
  }

  forGroup(group: string): CommittedOffset[] {
    return (this.selectGroup.all(group) as Array<{ topic: string; partition: number; next_offset: number; metadata: string | null; committed_at: number }>).map(
      (r) => ({ topic: r.topic, partition: r.partition, offset: r.next_offset, metadata: r.metadata, committedAt: r.committed_at }),
    );
  }

  groups(): string[] {
    return (this.db.prepare('SELECT DISTINCT group_id FROM group_offsets ORDER BY group_id').all() as Array<{ group_id: string }>).map((r) => r.group_id);
  }
}
