import { describe, expect, it } from 'vitest';
import { needsUpdate } from './notify-pipeline.js';

const NOW = 1_000_000;
const REPEAT = 10_000;
const set = (...xs: string[]) => new Set(xs);
const entry = (firing: string[], resolved: string[], at = NOW - 1000) => ({ firing: set(...firing), resolved: set(...resolved), at });

describe("needsUpdate (Alertmanager's dedup)", () => {
  it('notifies a group the first time only if something fires', () => {
    expect(needsUpdate(null, set('a'), set(), true, REPEAT, NOW)).toBe(true);
    expect(needsUpdate(null, set(), set('a'), true, REPEAT, NOW)).toBe(false);
  });

  it('notifies when an alert fires that was not notified', () => {
    expect(needsUpdate(entry(['a'], []), set('a', 'b'), set(), false, REPEAT, NOW)).toBe(true);
    expect(needsUpdate(entry(['a', 'b'], []), set('a'), set(), false, REPEAT, NOW)).toBe(false);
  });

  it('notifies when all resolved after something was notified firing, regardless of send_resolved', () => {
    expect(needsUpdate(entry(['a'], []), set(), set('a'), false, REPEAT, NOW)).toBe(true);
    expect(needsUpdate(entry([], ['a']), set(), set('a'), true, REPEAT, NOW)).toBe(false);
  });

  it('notifies new resolutions only with send_resolved', () => {
    expect(needsUpdate(entry(['a', 'b'], []), set('a'), set('b'), true, REPEAT, NOW)).toBe(true);
    expect(needsUpdate(entry(['a', 'b'], []), set('a'), set('b'), false, REPEAT, NOW)).toBe(false);
    expect(needsUpdate(entry(['a'], ['b']), set('a'), set('b'), true, REPEAT, NOW)).toBe(false);
  });

  it('repeats an unchanged group once repeat_interval has passed', () => {
    expect(needsUpdate(entry(['a'], [], NOW - REPEAT), set('a'), set(), false, REPEAT, NOW)).toBe(false);
    expect(needsUpdate(entry(['a'], [], NOW - REPEAT - 1), set('a'), set(), false, REPEAT, NOW)).toBe(true);
  });
});
