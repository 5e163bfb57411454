import { applyMigrations } from '../../notifiers/sqlite-db.js';
import { openDurableSqlite, type SqliteDb } from '../../sqlite.js';
import type { AlertInstance, Transition, TransitionKind } from './alert-state-machine.js';
import type { TrackedSeries } from './no-data-tracker.js';

const MIGRATIONS = [
  `CREATE TABLE alert_instances (
     rule_id TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     labels TEXT NOT NULL,
     annotations TEXT NOT NULL,
     state TEXT NOT NULL,
     value REAL,
     no_data INTEGER NOT NULL,
     active_at INTEGER NOT NULL,
     fired_at INTEGER,
     last_active_at INTEGER NOT NULL,
     keep_firing_since INTEGER,
     PRIMARY KEY (rule_id, fingerprint)
   ) WITHOUT ROWID;
   CREATE TABLE alert_transitions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     rule_id TEXT NOT NULL,
     alertname TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     labels TEXT NOT NULL,
     state TEXT NOT NULL,
     value REAL,
     no_data INTEGER NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX alert_transitions_at ON alert_transitions (at);
   CREATE INDEX alert_transitions_fingerprint ON alert_transitions (fingerprint, id);
   CREATE TABLE no_data_series (
     rule_id TEXT NOT NULL,
     series TEXT NOT NULL,
     labels TEXT NOT NULL,
     last_seen_at INTEGER NOT NULL,
     PRIMARY KEY (rule_id, series)
   ) WITHOUT ROWID;`,
];

export interface StoredInstance extends AlertInstance {
  ruleId: string;
}

export interface HistoryEntry {
  id: number;
  ruleId: string;
  alertname: string;
  fingerprint: string;
  labels: Record<string, string>;
  state: TransitionKind;
  /** null for a no-data instance (its value is NaN). */
  value: number | null;
  noData: boolean;
  at: number;
}

export interface HistoryQuery {
  limit: number;
  /** Only entries older than this id (paging backwards). */
  beforeId?: number;
  fingerprint?: string;
  alertname?: string;
  since?: number;
}

interface InstanceRow {
  rule_id: string;
  fingerprint: string;
  labels: string;
  annotations: string;
  state: 'pending' | 'firing';
  value: number | null;
  no_data: number;
  active_at: number;
  fired_at: number | null;
  last_active_at: number;
  keep_firing_since: number | null;
}

interface TransitionRow {
  id: number;
  rule_id: string;
  alertname: string;
  fingerprint: string;
  labels: string;
  state: TransitionKind;
  value: number | null;
  no_data: number;
  at: number;
}

/**
 * The evaluator's durable state: every pending and firing alert instance (so `for` timers and firing
 * alerts survive a restart), the history of transitions, and the series no-data rules track.
 *
 * Written synchronously (WAL, synchronous=FULL): `commit` returns once the transitions of one
 * evaluation pass are on disk, and only then are they sent on, so a notification is never sent for a
 * state a crash could take back. A crash between the commit and the send costs one repeated send
 * after the restart (every firing instance is re-sent), never a lost one.
 */
export class AlertStateStore {
  private constructor(private readonly db: SqliteDb) {}

  static open(file: string): AlertStateStore {
    const db = openDurableSqlite(file);
    try {
      applyMigrations(db, 'evaluator', MIGRATIONS);
    } catch (err) {
      db.close();
      throw err;
    }
    return new AlertStateStore(db);
  }

  loadInstances(): StoredInstance[] {
    return (this.db.prepare('SELECT * FROM alert_instances').all() as InstanceRow[]).map((r) => ({
      ruleId: r.rule_id,
      fingerprint: r.fingerprint,
      labels: JSON.parse(r.labels) as Record<string, string>,
      annotations: JSON.parse(r.annotations) as Record<string, string>,
      state: r.state,
      value: r.value ?? NaN,
      noData: r.no_data === 1,
      activeAt: r.active_at,
      firedAt: r.fired_at,
      lastActiveAt: r.last_active_at,
      keepFiringSince: r.keep_firing_since,
    }));
  }

  loadTracked(): Map<string, TrackedSeries[]> {
    const out = new Map<string, TrackedSeries[]>();
    for (const row of this.db.prepare('SELECT * FROM no_data_series').all() as Array<{ rule_id: string; series: string; labels: string; last_seen_at: number }>) {
      let list = out.get(row.rule_id);
      if (list === undefined) out.set(row.rule_id, (list = []));
      list.push({ key: row.series, labels: JSON.parse(row.labels) as Record<string, string>, lastSeenAt: row.last_seen_at });
    }
    return out;
  }

  /**
   * Persists one evaluation pass in one transaction (one fsync): each changed rule's transitions (and
   * the current row of every instance they touched), the series its no-data tracker holds, and the
   * new value, annotations and keepFiringFor progress of `refreshed` instances.
   */
  commit(
    changes: ReadonlyArray<{ ruleId: string; transitions: readonly Transition[]; tracked: readonly TrackedSeries[] | null }>,
    refreshed: ReadonlyArray<{ ruleId: string; instance: AlertInstance }> = [],
  ): void {
    const upsert = this.db.prepare(
      `INSERT INTO alert_instances (rule_id, fingerprint, labels, annotations, state, value, no_data, active_at, fired_at, last_active_at, keep_firing_since)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (rule_id, fingerprint) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations, state = excluded.state,
         value = excluded.value, no_data = excluded.no_data, active_at = excluded.active_at, fired_at = excluded.fired_at,
         last_active_at = excluded.last_active_at, keep_firing_since = excluded.keep_firing_since`,
    );
    const remove = this.db.prepare('DELETE FROM alert_instances WHERE rule_id = ? AND fingerprint = ?');
    const record = this.db.prepare('INSERT INTO alert_transitions (rule_id, alertname, fingerprint, labels, state, value, no_data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const clearTracked = this.db.prepare('DELETE FROM no_data_series WHERE rule_id = ?');
    const track = this.db.prepare('INSERT INTO no_data_series (rule_id, series, labels, last_seen_at) VALUES (?, ?, ?, ?)');
    const update = this.db.prepare('UPDATE alert_instances SET value = ?, annotations = ?, last_active_at = ?, keep_firing_since = ? WHERE rule_id = ? AND fingerprint = ?');
    this.db.transaction(() => {
      for (const { ruleId, transitions, tracked } of changes) {
        for (const { kind, at, instance: i } of transitions) {
          if (kind === 'pending' || kind === 'firing') {
            upsert.run(ruleId, i.fingerprint, JSON.stringify(i.labels), JSON.stringify(i.annotations), i.state, finite(i.value), i.noData ? 1 : 0, i.activeAt, i.firedAt, i.lastActiveAt, i.keepFiringSince);
          } else {
            remove.run(ruleId, i.fingerprint);
          }
          record.run(ruleId, i.labels.alertname ?? '', i.fingerprint, JSON.stringify(i.labels), kind, finite(i.value), i.noData ? 1 : 0, at);
        }
        if (tracked !== null) {
          clearTracked.run(ruleId);
          for (const s of tracked) track.run(ruleId, s.key, JSON.stringify(s.labels), s.lastSeenAt);
        }
      }
      for (const { ruleId, instance: i } of refreshed) update.run(finite(i.value), JSON.stringify(i.annotations), i.lastActiveAt, i.keepFiringSince, ruleId, i.fingerprint);
    })();
  }

  /** Forgets the instances and tracked series of a rule that no longer exists, recording how its instances ended. */
  dropRule(ruleId: string, endings: readonly Transition[]): void {
    this.db.transaction(() => {
      this.commit([{ ruleId, transitions: endings, tracked: [] }]);
      this.db.prepare('DELETE FROM alert_instances WHERE rule_id = ?').run(ruleId);
    })();
  }

  history(query: HistoryQuery): HistoryEntry[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.beforeId !== undefined) {
      where.push('id < ?');
      params.push(query.beforeId);
    }
    if (query.fingerprint !== undefined) {
      where.push('fingerprint = ?');
      params.push(query.fingerprint);
    }
    if (query.alertname !== undefined) {
      where.push('alertname = ?');
      params.push(query.alertname);
    }
    if (query.since !== undefined) {
      where.push('at >= ?');
      params.push(query.since);
    }
    const sql = `SELECT * FROM alert_transitions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit) as TransitionRow[]).map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      alertname: r.alertname,
      fingerprint: r.fingerprint,
      labels: JSON.parse(r.labels) as Record<string, string>,
      state: r.state,
      value: r.value,
      noData: r.no_data === 1,
      at: r.at,
    }));
  }

  pruneHistory(before: number): void {
    this.db.prepare('DELETE FROM alert_transitions WHERE at < ?').run(before);
  }

  close(): void {
    this.db.close();
  }
}

/** SQLite stores NaN as NULL anyway; say so explicitly. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
