import type { SqliteDb } from '../notifiers/sqlite-db.js';
import { isResolved, mergeAlerts, overlaps, type Alert } from './alert.js';
import type { Labels } from './labels.js';

/** One firing/resolved transition of an alert. */
export interface AlertHistoryEntry {
  id: number;
  fingerprint: string;
  labels: Labels;
  state: 'firing' | 'resolved';
  at: number;
}

interface Entry {
  alert: Alert;
  /** The last transition written to alert_history. */
  recorded: 'firing' | 'resolved' | null;
}

interface AlertRow {
  fingerprint: string;
  labels: string;
  annotations: string;
  starts_at: number;
  ends_at: number;
  generator_url: string;
  updated_at: number;
  timeout: number;
}

/**
 * The current version of every known alert (Alertmanager's alert provider), mirrored in SQLite so
 * alerts are resumed after a restart and a resolution that happens while we are down is still
 * notified. A row is rewritten only when something a notification shows changes: an evaluator that
 * re-sends a firing alert every cycle only extends its timeout end in memory.
 */
export class AlertStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: SqliteDb) {}

  /**
   * Loads the stored alerts. A timeout end is pushed to at least now + resolveTimeout: the evaluator
   * gets that long after a restart to confirm the alert before it resolves by itself.
   */
  restore(now: number, resolveTimeoutMs: number): Alert[] {
    const out: Alert[] = [];
    for (const row of this.db.prepare('SELECT * FROM alerts').all() as AlertRow[]) {
      const timeout = row.timeout === 1;
      const alert: Alert = {
        fingerprint: row.fingerprint,
        labels: JSON.parse(row.labels) as Labels,
        annotations: JSON.parse(row.annotations) as Labels,
        startsAt: row.starts_at,
        endsAt: timeout ? Math.max(row.ends_at, now + resolveTimeoutMs) : row.ends_at,
        generatorURL: row.generator_url,
        updatedAt: row.updated_at,
        timeout,
      };
      this.entries.set(alert.fingerprint, { alert, recorded: isResolved(alert, now) ? 'resolved' : 'firing' });
      out.push(alert);
    }
    return out;
  }

  /** Stores a new version of an alert, merged with the old one as Alertmanager does; returns what is stored. */
  put(incoming: Alert, now: number): Alert {
    const entry = this.entries.get(incoming.fingerprint);
    const alert = entry && overlaps(entry.alert, incoming) ? mergeAlerts(entry.alert, incoming, now) : incoming;
    const state = isResolved(alert, now) ? 'resolved' : 'firing';
    const transition = (entry?.recorded ?? null) !== state && (entry !== undefined || state === 'firing');
    this.db.transaction(() => {
      if (!entry || changedForNotification(entry.alert, alert, now)) this.writeRow(alert);
      if (transition) this.recordTransition(alert, state);
    })();
    this.entries.set(alert.fingerprint, { alert, recorded: transition ? state : (entry?.recorded ?? null) });
    return alert;
  }

  get(fingerprint: string): Alert | undefined {
    return this.entries.get(fingerprint)?.alert;
  }

  all(): Alert[] {
    return [...this.entries.values()].map((e) => e.alert);
  }

  /** Removes alerts resolved by `now` (recording the resolution if nobody told us), returning them. */
  gc(now: number): Alert[] {
    const removed: Alert[] = [];
    this.db.transaction(() => {
      for (const [fp, entry] of this.entries) {
        if (!isResolved(entry.alert, now)) continue;
        if (entry.recorded === 'firing') this.recordTransition(entry.alert, 'resolved');
        this.db.prepare('DELETE FROM alerts WHERE fingerprint = ?').run(fp);
        this.entries.delete(fp);
        removed.push(entry.alert);
      }
    })();
    return removed;
  }

  /** Transitions, newest first. */
  history(limit: number, fingerprint?: string): AlertHistoryEntry[] {
    const rows = (
      fingerprint === undefined
        ? this.db.prepare('SELECT * FROM alert_history ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM alert_history WHERE fingerprint = ? ORDER BY id DESC LIMIT ?').all(fingerprint, limit)
    ) as Array<{ id: number; fingerprint: string; labels: string; state: 'firing' | 'resolved'; at: number }>;
    return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, labels: JSON.parse(r.labels) as Labels, state: r.state, at: r.at }));
  }

  pruneHistory(before: number): void {
    this.db.prepare('DELETE FROM alert_history WHERE at < ?').run(before);
  }

  private writeRow(a: Alert): void {
    this.db
      .prepare(
        `INSERT INTO alerts (fingerprint, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (fingerprint) DO UPDATE SET annotations = excluded.annotations, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           generator_url = excluded.generator_url, updated_at = excluded.updated_at, timeout = excluded.timeout`,
      )
      .run(a.fingerprint, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.startsAt, a.endsAt, a.generatorURL, a.updatedAt, a.timeout ? 1 : 0);
  }

  private recordTransition(a: Alert, state: 'firing' | 'resolved'): void {
    this.db
      .prepare('INSERT INTO alert_history (fingerprint, labels, state, at) VALUES (?, ?, ?, ?)')
      .run(a.fingerprint, JSON.stringify(a.labels), state, state === 'firing' ? a.startsAt : a.endsAt);
  }
}

function changedForNotification(before: Alert, after: Alert, now: number): boolean {
  return (
    before.startsAt !== after.startsAt ||
    before.generatorURL !== after.generatorURL ||
    before.timeout !== after.timeout ||
    isResolved(before, now) !== isResolved(after, now) ||
    (!after.timeout && before.endsAt !== after.endsAt) ||
    JSON.stringify(before.annotations) !== JSON.stringify(after.annotations)
  );
}
