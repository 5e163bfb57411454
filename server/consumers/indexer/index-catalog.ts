import Database from 'better-sqlite3';
import fs from 'node:fs';
import { catalogFile } from './index-layout.js';
import type { PartitionPosition } from './shard/shard-protocol.js';

export interface CatalogTopic {
  /** Names the topic's index directory; never reused. */
  id: number;
  name: string;
  /** The store's createdAt: a topic deleted and created again under the same name is a new topic. */
  createdAt: number;
}

export interface Demotion {
  topicId: number;
  day: number;
  name: string;
  /** Epoch ms of the decision. */
  at: number;
}

/**
 * The indexer's own small database, written only from the main thread:
 * - `topics`: the id of each indexed topic (its directory name);
 * - `resume`: per partition, where indexing restarts after a restart or a crash. It is written after the
 *   shards' flushes commit (fsync'd), so it never runs ahead of the files; it may lag them (a crash, or a
 *   power cut losing its last unsynced commits), and then the files' own `progress` rows skip what they
 *   already hold (day-file.ts).
 * - `demoted_labels`: the cardinality guard's decisions, so they survive restarts.
 */
export class IndexCatalog {
  private readonly statements;

  private constructor(private readonly db: Database.Database) {
    this.statements = {
      topics: db.prepare('SELECT id, name, created_at AS createdAt FROM topics ORDER BY id'),
      findTopic: db.prepare('SELECT id, name, created_at AS createdAt FROM topics WHERE name = ? AND created_at = ?'),
      insertTopic: db.prepare('INSERT INTO topics (name, created_at) VALUES (?, ?)'),
      deleteTopic: db.prepare('DELETE FROM topics WHERE id = ?'),
      deleteResume: db.prepare('DELETE FROM resume WHERE topic_id = ?'),
      deleteTopicDemotions: db.prepare('DELETE FROM demoted_labels WHERE topic_id = ?'),
      resume: db.prepare('SELECT partition, next_offset AS nextOffset FROM resume WHERE topic_id = ?'),
      putResume: db.prepare(
        'INSERT INTO resume (topic_id, partition, next_offset) VALUES (?, ?, ?) ON CONFLICT (topic_id, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)',
      ),
      demotions: db.prepare('SELECT topic_id AS topicId, day, name, at FROM demoted_labels ORDER BY topic_id, day, name'),
      putDemotion: db.prepare('INSERT OR IGNORE INTO demoted_labels (topic_id, day, name, at) VALUES (?, ?, ?, ?)'),
      deleteDayDemotions: db.prepare('DELETE FROM demoted_labels WHERE topic_id = ? AND day = ?'),
    };
  }

  static open(indexDir: string): IndexCatalog {
    fs.mkdirSync(indexDir, { recursive: true });
    const db = new Database(catalogFile(indexDir));
    db.pragma('journal_mode = WAL');
    // NORMAL: a power cut may lose the last commits, which only moves resume offsets back (safe: the
    // files skip what they hold), and the main thread never waits for an fsync here.
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS topics (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (name, created_at));
      CREATE TABLE IF NOT EXISTS resume (topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL, PRIMARY KEY (topic_id, partition));
      CREATE TABLE IF NOT EXISTS demoted_labels (topic_id INTEGER NOT NULL, day INTEGER NOT NULL, name TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (topic_id, day, name));
    `);
    return new IndexCatalog(db);
  }

  topics(): CatalogTopic[] {
    return this.statements.topics.all() as CatalogTopic[];
  }

  ensureTopic(name: string, createdAt: number): CatalogTopic {
    const found = this.statements.findTopic.get(name, createdAt) as CatalogTopic | undefined;
    if (found) return found;
    const id = Number(this.statements.insertTopic.run(name, createdAt).lastInsertRowid);
    return { id, name, createdAt };
  }

  removeTopic(id: number): void {
    this.db.transaction(() => {
      this.statements.deleteTopic.run(id);
      this.statements.deleteResume.run(id);
      this.statements.deleteTopicDemotions.run(id);
    })();
  }

  resumeOffsets(topicId: number): Map<number, number> {
    const rows = this.statements.resume.all(topicId) as Array<{ partition: number; nextOffset: number }>;
    return new Map(rows.map((r) => [r.partition, r.nextOffset]));
  }

  saveResume(positions: readonly PartitionPosition[]): void {
    if (positions.length === 0) return;
    this.db.transaction(() => {
      for (const p of positions) this.statements.putResume.run(p.topicId, p.partition, p.nextOffset);
    })();
  }

  demotions(): Demotion[] {
    return this.statements.demotions.all() as Demotion[];
  }

  addDemotion(d: Demotion): void {
    this.statements.putDemotion.run(d.topicId, d.day, d.name, d.at);
  }

  forgetDay(topicId: number, day: number): void {
    this.statements.deleteDayDemotions.run(topicId, day);
  }

  close(): void {
    this.db.close();
  }
}
