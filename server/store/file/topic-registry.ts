import type { MetadataDb } from './metadata-db.js';
import type { TopicConfig, TopicInfo } from '../topic-store.js';

export interface RegisteredTopic extends TopicInfo {
  /** Never reused; names the topic's directory, so no path is ever built from a topic name. */
  id: number;
}

interface TopicRow {
  id: number;
  name: string;
  partitions: number;
  retention_ms: number | null;
  retention_bytes: number | null;
  created_at: number;
}

/** Durable list of topics and their configuration. */
export class TopicRegistry {
  constructor(private readonly db: MetadataDb) {}

  all(): RegisteredTopic[] {
    return (this.db.prepare('SELECT * FROM topics ORDER BY name').all() as TopicRow[]).map(toTopic);
  }

  insert(name: string, partitions: number, config: TopicConfig, createdAt: number): RegisteredTopic {
    const result = this.db
      .prepare('INSERT INTO topics (name, partitions, retention_ms, retention_bytes, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(name, partitions, config.retentionMs, config.retentionBytes, createdAt);
    return { id: Number(result.lastInsertRowid), name, partitions, config, createdAt };
  }

  update(id: number, partitions: number, config: TopicConfig): void {
    this.db
      .prepare('UPDATE topics SET partitions = ?, retention_ms = ?, retention_bytes = ? WHERE id = ?')
      .run(partitions, config.retentionMs, config.retentionBytes, id);
  }

  /** Removes the topic and the offsets every group committed for it, in one transaction. */
  delete(id: number, name: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM topics WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM group_offsets WHERE topic = ?').run(name);
    })();
  }
}

function toTopic(row: TopicRow): RegisteredTopic {
  return {
    id: row.id,
    name: row.name,
    partitions: row.partitions,
    config: { retentionMs: row.retention_ms, retentionBytes: row.retention_bytes },
    createdAt: row.created_at,
  };
}
