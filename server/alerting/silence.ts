import type { Labels } from './labels.js';
import { matchesAll, type LabelMatcher, type MatcherJson } from './matcher.js';
import { inWeeklyWindow, type WeeklyWindow } from './weekly-window.js';

/**
 * A silence: alerts matching every matcher are not notified while it is active. A silence with a
 * recurrence is active only inside its weekly window (and between startsAt and endsAt; a recurring
 * silence may have no end). Silenced alerts stay visible, marked with the silences that mute them.
 */
export interface Silence {
  id: string;
  matchers: LabelMatcher[];
  startsAt: number;
  /** null: never ends (only for recurring silences). */
  endsAt: number | null;
  createdBy: string;
  comment: string;
  recurrence: WeeklyWindow | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * pending: starts later; active: muting now; scheduled: recurring, in its date range but outside its
 * window; expired: ended.
 */
export type SilenceState = 'pending' | 'active' | 'scheduled' | 'expired';

export function silenceState(silence: Silence, now: number): SilenceState {
  if (silence.endsAt !== null && silence.endsAt <= now) return 'expired';
  if (silence.startsAt > now) return 'pending';
  if (silence.recurrence !== null && !inWeeklyWindow(silence.recurrence, now)) return 'scheduled';
  return 'active';
}

export function silenceMutes(silence: Silence, labels: Labels, now: number): boolean {
  return matchesAll(silence.matchers, labels) && silenceState(silence, now) === 'active';
}

/** A silence as the API shows it: Alertmanager's v2 silence plus `recurrence`. */
export interface SilenceView {
  id: string;
  matchers: MatcherJson[];
  /** The matchers as text, e.g. `severity="page"`. */
  matcherText: string[];
  startsAt: string;
  endsAt: string | null;
  createdBy: string;
  comment: string;
  recurrence: WeeklyWindow | null;
  status: { state: SilenceState };
  createdAt: string;
  updatedAt: string;
}

export function viewSilence(silence: Silence, now: number): SilenceView {
  return {
    id: silence.id,
    matchers: silence.matchers.map((m) => m.toJSON()),
    matcherText: silence.matchers.map((m) => m.toString()),
    startsAt: new Date(silence.startsAt).toISOString(),
    endsAt: silence.endsAt === null ? null : new Date(silence.endsAt).toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
    recurrence: silence.recurrence,
    status: { state: silenceState(silence, now) },
    createdAt: new Date(silence.createdAt).toISOString(),
    updatedAt: new Date(silence.updatedAt).toISOString(),
  };
}
