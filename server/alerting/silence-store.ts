import crypto from 'node:crypto';
import type { Clock } from '../clock.js';
import { SluiceError } from '../errors.js';
import type { SqliteDb } from '../notifiers/sqlite-db.js';
import type { Labels } from './labels.js';
import { LabelMatcher, type MatcherJson } from './matcher.js';
import { silenceMutes, silenceState, type Silence } from './silence.js';
import { weeklyWindowProblem, type WeeklyWindow } from './weekly-window.js';

/** What a client asks for; times in epoch ms. With an `id` it changes that silence. */
export interface SilenceInput {
  id?: string;
  matchers: LabelMatcher[];
  startsAt?: number;
  endsAt: number | null;
  createdBy: string;
  comment: string;
  recurrence?: WeeklyWindow | null;
}

interface SilenceRow {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number | null;
  created_by: string;
  comment: string;
  recurrence: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Silences, kept in SQLite (they survive restarts) and mirrored in memory for matching. Writes go to
 * SQLite first; the cache changes only after the commit.
 */
export class SilenceStore {
  private readonly silences = new Map<string, Silence>();

  constructor(
    private readonly db: SqliteDb,
    private readonly clock: Clock,
  ) {
    for (const row of db.prepare('SELECT * FROM silences').all() as SilenceRow[]) this.silences.set(row.id, fromRow(row));
  }

  list(): Silence[] {
    return [...this.silences.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  }

  get(id: string): Silence {
    const silence = this.silences.get(id);
    if (!silence) throw new SluiceError('not_found', `no silence ${JSON.stringify(id)}`);
    return silence;
  }

  /** Creates a silence, or updates the one named by `input.id` (an expired one is replaced by a new silence). Returns its id. */
  upsert(input: SilenceInput): string {
    const now = this.clock.now();
    validate(input, now);
    const existing = input.id === undefined ? undefined : this.get(input.id);
    const keep = existing !== undefined && silenceState(existing, now) !== 'expired';
    const silence: Silence = {
      id: keep ? existing.id : crypto.randomUUID(),
      matchers: input.matchers,
      startsAt: input.startsAt ?? now,
      endsAt: input.endsAt,
      createdBy: input.createdBy,
      comment: input.comment,
      recurrence: input.recurrence ?? null,
      createdAt: keep ? existing.createdAt : now,
      updatedAt: now,
    };
    this.write(silence);
    return silence.id;
  }

  /** Ends a silence now (a pending one never starts). Expiring an expired silence changes nothing. */
  expire(id: string): void {
    const silence = this.get(id);
    const now = this.clock.now();
    if (silenceState(silence, now) === 'expired') return;
    this.write({ ...silence, startsAt: Math.min(silence.startsAt, now), endsAt: now, updatedAt: now });
  }

  /** The ids of the silences muting an alert with `labels` now. */
  mutedBy(labels: Labels, now: number): string[] {
    const ids: string[] = [];
    for (const silence of this.silences.values()) if (silenceMutes(silence, labels, now)) ids.push(silence.id);
    return ids;
  }

  /** Forgets silences that expired before `before`. */
  gc(before: number): void {
    this.db.prepare('DELETE FROM silences WHERE ends_at IS NOT NULL AND ends_at < ?').run(before);
    for (const [id, s] of this.silences) if (s.endsAt !== null && s.endsAt < before) this.silences.delete(id);
  }

  private write(s: Silence): void {
    this.db
      .prepare(
        `INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, recurrence, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           created_by = excluded.created_by, comment = excluded.comment, recurrence = excluded.recurrence, updated_at = excluded.updated_at`,
      )
      .run(s.id, JSON.stringify(s.matchers.map((m) => m.toJSON())), s.startsAt, s.endsAt, s.createdBy, s.comment, s.recurrence === null ? null : JSON.stringify(s.recurrence), s.createdAt, s.updatedAt);
    this.silences.set(s.id, s);
  }
}

/** Alertmanager's silence validation, plus the recurrence. */
function validate(input: SilenceInput, now: number): void {
  const fail = (message: string) => {
    throw new SluiceError('invalid_request', message);
  };
  if (input.matchers.length === 0) fail('a silence needs at least one matcher');
  // A silence whose every matcher matches an empty label would mute nearly everything.
  if (input.matchers.every((m) => m.matchesValue(''))) fail('at least one matcher must not match the empty string');
  if (input.createdBy.trim() === '') fail('createdBy must not be empty');
  if (input.comment.trim() === '') fail('comment must not be empty');
  const startsAt = input.startsAt ?? now;
  if (input.endsAt === null) {
    if (!input.recurrence) fail('endsAt is required (only a recurring silence may run without end)');
  } else {
    if (input.endsAt <= startsAt) fail('endsAt must be after startsAt');
    if (input.endsAt <= now) fail('endsAt must be in the future');
  }
  if (input.recurrence) {
    const problem = weeklyWindowProblem(input.recurrence);
    if (problem !== null) fail(`recurrence: ${problem}`);
  }
}

function fromRow(row: SilenceRow): Silence {
  return {
    id: row.id,
    matchers: (JSON.parse(row.matchers) as MatcherJson[]).map((m) => LabelMatcher.fromJson(m)),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdBy: row.created_by,
    comment: row.comment,
    recurrence: row.recurrence === null ? null : (JSON.parse(row.recurrence) as WeeklyWindow),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
