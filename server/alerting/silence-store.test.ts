import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { ManualClock } from '../clock.js';
import { SluiceError } from '../errors.js';
import { openDurableSqlite, type SqliteDb } from '../sqlite.js';
import { migrateAlerting } from './alerting-schema.js';
import { parseMatchers } from './matcher.js';
import { silenceState } from './silence.js';
import { SilenceStore, type SilenceInput } from './silence-store.js';

const opened: SqliteDb[] = [];
afterEach(() => {
  while (opened.length > 0) opened.pop()!.close();
});

function openDb(file: string): SqliteDb {
  const db = openDurableSqlite(file);
  migrateAlerting(db);
  opened.push(db);
  return db;
}

const HOUR = 3600_000;

function input(clock: ManualClock, overrides: Partial<SilenceInput> = {}): SilenceInput {
  return { matchers: parseMatchers('alertname="Down", env=~"prod|staging"'), endsAt: clock.now() + HOUR, createdBy: 'ops', comment: 'maintenance', ...overrides };
}

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).code).toBe('invalid_request');
    return (err as SluiceError).message;
  }
  throw new Error('expected invalid_request');
}

describe('SilenceStore', () => {
  it('mutes matching alerts only while active, and expiry ends it', () => {
    const clock = new ManualClock(Date.parse('2024-06-01T12:00:00Z'));
    const store = new SilenceStore(openDb(path.join(tempDir(), 'a.db')), clock);
    const id = store.upsert(input(clock, { startsAt: clock.now() + 60_000 }));
    const prod = { alertname: 'Down', env: 'prod' };
    expect(silenceState(store.get(id), clock.now())).toBe('pending');
    expect(store.mutedBy(prod, clock.now())).toEqual([]);
    clock.advance(60_000);
    expect(store.mutedBy(prod, clock.now())).toEqual([id]);
    expect(store.mutedBy({ alertname: 'Down', env: 'dev' }, clock.now())).toEqual([]);
    expect(store.mutedBy({ alertname: 'Up', env: 'prod' }, clock.now())).toEqual([]);
    clock.advance(1000);
    store.expire(id);
    expect(silenceState(store.get(id), clock.now())).toBe('expired');
    expect(store.mutedBy(prod, clock.now())).toEqual([]);
    store.expire(id); // expiring twice changes nothing
  });

  it('ends by itself at endsAt', () => {
    const clock = new ManualClock();
    const store = new SilenceStore(openDb(path.join(tempDir(), 'a.db')), clock);
    store.upsert(input(clock));
    expect(store.mutedBy({ alertname: 'Down', env: 'prod' }, clock.now() + HOUR - 1)).toHaveLength(1);
    expect(store.mutedBy({ alertname: 'Down', env: 'prod' }, clock.now() + HOUR)).toHaveLength(0);
  });

  it('survives reopening the database', () => {
    const clock = new ManualClock(Date.parse('2024-06-08T21:00:00Z')); // Saturday 23:00 in Berlin
    const file = path.join(tempDir(), 'a.db');
    const first = new SilenceStore(openDb(file), clock);
    const id = first.upsert(input(clock, { recurrence: { days: ['sat'], start: '22:00', end: '02:00', timezone: 'Europe/Berlin' } }));
    const again = new SilenceStore(openDb(file), clock);
    const s = again.get(id);
    expect(s.matchers.map(String)).toEqual(['alertname="Down"', 'env=~"prod|staging"']);
    expect(s.recurrence).toEqual({ days: ['sat'], start: '22:00', end: '02:00', timezone: 'Europe/Berlin' });
    expect(again.mutedBy({ alertname: 'Down', env: 'staging' }, clock.now())).toEqual([id]);
  });

  it('updates in place, and replaces an expired silence with a new one', () => {
    const clock = new ManualClock();
    const store = new SilenceStore(openDb(path.join(tempDir(), 'a.db')), clock);
    const id = store.upsert(input(clock));
    expect(store.upsert(input(clock, { id, comment: 'longer', endsAt: clock.now() + 2 * HOUR }))).toBe(id);
    expect(store.get(id).comment).toBe('longer');
    store.expire(id);
    clock.advance(1);
    const next = store.upsert(input(clock, { id }));
    expect(next).not.toBe(id);
    expect(store.list().map((s) => s.id)).toEqual([next, id]);
    expect(() => store.upsert(input(clock, { id: 'nope' }))).toThrow(/no silence/);
  });

  it('is active only inside its weekly window when recurring, with or without an end', () => {
    const clock = new ManualClock(Date.parse('2024-06-08T00:30:00Z')); // Saturday 02:30 in Berlin
    const store = new SilenceStore(openDb(path.join(tempDir(), 'a.db')), clock);
    const id = store.upsert(input(clock, { endsAt: null, recurrence: { days: ['sat', 'sun'], start: '02:00', end: '04:00', timezone: 'Europe/Berlin' } }));
    expect(silenceState(store.get(id), clock.now())).toBe('active');
    expect(store.mutedBy({ alertname: 'Down', env: 'prod' }, clock.now() + 2 * HOUR)).toEqual([]); // 04:30
    expect(silenceState(store.get(id), clock.now() + 2 * HOUR)).toBe('scheduled');
    expect(store.mutedBy({ alertname: 'Down', env: 'prod' }, clock.now() + 24 * HOUR)).toEqual([id]); // Sunday 02:30
  });

  it("validates like Alertmanager", () => {
    const clock = new ManualClock();
    const store = new SilenceStore(openDb(path.join(tempDir(), 'a.db')), clock);
    expect(invalid(() => store.upsert(input(clock, { matchers: [] })))).toMatch(/at least one matcher/);
    expect(invalid(() => store.upsert(input(clock, { matchers: parseMatchers('a=~".*", b!="x"') })))).toMatch(/empty string/);
    expect(invalid(() => store.upsert(input(clock, { createdBy: ' ' })))).toMatch(/createdBy/);
    expect(invalid(() => store.upsert(input(clock, { comment: '' })))).toMatch(/comment/);
    expect(invalid(() => store.upsert(input(clock, { endsAt: clock.now() - 1, startsAt: clock.now() - 10 })))).toMatch(/future/);
    expect(invalid(() => store.upsert(input(clock, { startsAt: clock.now() + 2 * HOUR })))).toMatch(/after startsAt/);
    expect(invalid(() => store.upsert(input(clock, { endsAt: null })))).toMatch(/recurring/);
    expect(invalid(() => store.upsert(input(clock, { recurrence: { days: ['sat'], start: '25:00', end: '01:00', timezone: 'UTC' } })))).toMatch(/recurrence: start/);
  });
});
