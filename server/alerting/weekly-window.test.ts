import { describe, expect, it } from 'vitest';
import { inWeeklyWindow, localTime, normalizeWeekday, weeklyWindowProblem, type WeeklyWindow } from './weekly-window.js';

const weekendNights: WeeklyWindow = { days: ['sat', 'sun'], start: '02:00', end: '04:00', timezone: 'Europe/Berlin' };

/** Minutes in the window between two instants, sampled every minute. */
function minutesInside(w: WeeklyWindow, fromIso: string, toIso: string): number {
  let n = 0;
  for (let t = Date.parse(fromIso); t < Date.parse(toIso); t += 60_000) if (inWeeklyWindow(w, t)) n++;
  return n;
}

describe('inWeeklyWindow', () => {
  it('follows the wall clock of the time zone', () => {
    // 2024-04-06 is a Saturday; Berlin is UTC+2 (CEST).
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-04-06T00:00:00Z'))).toBe(true); // 02:00 local
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-04-06T01:59:00Z'))).toBe(true); // 03:59
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-04-06T02:00:00Z'))).toBe(false); // 04:00: end is exclusive
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-04-05T23:59:00Z'))).toBe(false); // 01:59
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-04-08T00:30:00Z'))).toBe(false); // Monday 02:30
    expect(minutesInside(weekendNights, '2024-04-06T22:00:00Z', '2024-04-07T06:00:00Z')).toBe(120); // an ordinary Sunday
  });

  it('is one hour long on the night clocks go forward (Berlin, 2024-03-31)', () => {
    expect(minutesInside(weekendNights, '2024-03-30T22:00:00Z', '2024-03-31T06:00:00Z')).toBe(60);
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-03-31T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-03-31T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-03-31T02:00:00Z'))).toBe(false); // 04:00 CEST
  });

  it('is three hours long on the night clocks go back (Berlin, 2024-10-27): 02:00–03:00 happens twice', () => {
    expect(minutesInside(weekendNights, '2024-10-26T22:00:00Z', '2024-10-27T06:00:00Z')).toBe(180);
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-10-27T00:00:00Z'))).toBe(true); // 02:00 CEST
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-10-27T01:30:00Z'))).toBe(true); // 02:30 CET
    expect(inWeeklyWindow(weekendNights, Date.parse('2024-10-27T03:00:00Z'))).toBe(false); // 04:00 CET
  });

  it('crosses midnight when end is before start; the days name the evening', () => {
    const fridayNight: WeeklyWindow = { days: ['fri'], start: '22:00', end: '02:00', timezone: 'America/New_York' };
    // 2024-06-07 is a Friday; New York is UTC-4 (EDT).
    expect(inWeeklyWindow(fridayNight, Date.parse('2024-06-08T01:59:00Z'))).toBe(false); // Fri 21:59
    expect(inWeeklyWindow(fridayNight, Date.parse('2024-06-08T02:00:00Z'))).toBe(true); // Fri 22:00
    expect(inWeeklyWindow(fridayNight, Date.parse('2024-06-08T05:30:00Z'))).toBe(true); // Sat 01:30
    expect(inWeeklyWindow(fridayNight, Date.parse('2024-06-08T06:00:00Z'))).toBe(false); // Sat 02:00
    expect(inWeeklyWindow(fridayNight, Date.parse('2024-06-09T05:30:00Z'))).toBe(false); // Sun 01:30
  });

  it('takes 24:00 as the end of the day', () => {
    const allSunday: WeeklyWindow = { days: ['sun'], start: '00:00', end: '24:00', timezone: 'UTC' };
    expect(minutesInside(allSunday, '2024-06-08T00:00:00Z', '2024-06-10T00:00:00Z')).toBe(24 * 60);
  });
});

describe('weeklyWindowProblem', () => {
  it('accepts a good window and explains bad ones', () => {
    expect(weeklyWindowProblem(weekendNights)).toBeNull();
    expect(weeklyWindowProblem({ ...weekendNights, days: [] })).toMatch(/at least one day/);
    expect(weeklyWindowProblem({ ...weekendNights, start: '2:00' })).toMatch(/HH:MM/);
    expect(weeklyWindowProblem({ ...weekendNights, end: '24:01' })).toMatch(/HH:MM/);
    expect(weeklyWindowProblem({ ...weekendNights, end: '02:00' })).toMatch(/differ/);
    expect(weeklyWindowProblem({ ...weekendNights, timezone: 'Mars/Olympus' })).toMatch(/time zone/);
  });

  it('normalizes day names', () => {
    expect(normalizeWeekday('Saturday')).toBe('sat');
    expect(normalizeWeekday('SUN')).toBe('sun');
    expect(normalizeWeekday('satur')).toBeNull();
  });

  it('reads local time', () => {
    expect(localTime('Asia/Kolkata', Date.parse('2024-01-01T00:00:00Z'))).toEqual({ weekday: 1, minutes: 5 * 60 + 30 });
  });
});
