export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A window that recurs every week in an IANA time zone, e.g. Saturdays and Sundays 02:00–04:00
 * Europe/Berlin. Times are wall-clock times in that zone, so the window follows daylight saving
 * time: on the night clocks go forward it is an hour shorter, on the night they go back an hour
 * longer. `end` before `start` crosses midnight; the days name the day the window starts.
 */
export interface WeeklyWindow {
  days: Weekday[];
  /** "HH:MM", inclusive. */
  start: string;
  /** "HH:MM", exclusive; "24:00" is the end of the day. */
  end: string;
  timezone: string;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Why `w` is not a valid window, or null. */
export function weeklyWindowProblem(w: WeeklyWindow): string | null {
  if (w.days.length === 0) return 'days must name at least one day';
  for (const day of w.days) if (!WEEKDAYS.includes(day)) return `unknown day ${JSON.stringify(day)}: use ${WEEKDAYS.join(', ')}`;
  if (!TIME.test(w.start) || w.start === '24:00') return `start ${JSON.stringify(w.start)} must be HH:MM (00:00 to 23:59)`;
  if (!TIME.test(w.end)) return `end ${JSON.stringify(w.end)} must be HH:MM (00:00 to 24:00)`;
  if (w.start === w.end) return 'start and end must differ';
  try {
    formatterFor(w.timezone);
  } catch {
    return `unknown time zone ${JSON.stringify(w.timezone)}`;
  }
  return null;
}

/** Accepts `sat`, `Sat`, `saturday`; returns the canonical three-letter name or null. */
export function normalizeWeekday(text: string): Weekday | null {
  const day = text.trim().toLowerCase().slice(0, 3) as Weekday;
  const full = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  const lower = text.trim().toLowerCase();
  return WEEKDAYS.includes(day) && (lower.length === 3 || full.includes(lower)) ? day : null;
}

/** Whether `instant` (epoch ms) falls inside the window. */
export function inWeeklyWindow(w: WeeklyWindow, instant: number): boolean {
  const { weekday, minutes } = localTime(w.timezone, instant);
  const start = toMinutes(w.start);
  const end = toMinutes(w.end);
  const on = (day: number) => w.days.includes(WEEKDAYS[(day + 7) % 7]!);
  if (start < end) return on(weekday) && minutes >= start && minutes < end;
  // Crosses midnight: the evening part belongs to a listed day, the morning part to the day after one.
  return (on(weekday) && minutes >= start) || (on(weekday - 1) && minutes < end);
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  return f;
}

/** The weekday (0 = Sunday) and minute of the day of `instant` on the wall clocks of `timezone`. */
export function localTime(timezone: string, instant: number): { weekday: number; minutes: number } {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timezone).formatToParts(new Date(instant))) {
    if (part.type === 'weekday') weekday = WEEKDAYS.indexOf(part.value.toLowerCase() as Weekday);
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minutes: hour * 60 + minute };
}
