import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { stepAlerts, type ActiveSeries, type AlertInstance, type HoldTimes } from './alert-state-machine.js';

const A: ActiveSeries = { labels: { alertname: 'X', host: 'a' }, annotations: {}, value: 12, noData: false };

/** Drives one instance ("a") through evaluations on a fake clock; `true` means the condition holds. */
function run(hold: HoldTimes, script: Array<[advanceMs: number, holds: boolean]>) {
  const clock = new ManualClock(0);
  const instances = new Map<string, AlertInstance>();
  const log: string[] = [];
  for (const [advance, holds] of script) {
    clock.advance(advance);
    const active = new Map(holds ? [['a', A]] : []);
    for (const t of stepAlerts(instances, active, clock.now(), hold)) log.push(`${t.at}:${t.kind}`);
  }
  return { log, instances };
}

describe('stepAlerts', () => {
  it('for: 0 fires at the first evaluation that sees the condition', () => {
    expect(run({ forMs: 0, keepFiringForMs: 0 }, [[1000, true]]).log).toEqual(['1000:firing']);
  });

  it('pending for `for`, then firing; resolved when the condition goes', () => {
    const { log, instances } = run({ forMs: 60_000, keepFiringForMs: 0 }, [
      [0, true],
      [30_000, true],
      [30_000, true],
      [10_000, true],
      [10_000, false],
    ]);
    expect(log).toEqual(['0:pending', '60000:firing', '80000:resolved']);
    expect(instances.size).toBe(0);
  });

  it('a pending instance whose condition goes is forgotten without a notification', () => {
    const { log } = run({ forMs: 60_000, keepFiringForMs: 0 }, [
      [0, true],
      [30_000, false],
      [10_000, true],
      [59_000, true],
      [1000, true],
    ]);
    expect(log).toEqual(['0:pending', '30000:inactive', '40000:pending', '100000:firing']);
  });

  it('keepFiringFor rides out a flap and resolves only after the condition stayed away that long', () => {
    const flapping = run({ forMs: 0, keepFiringForMs: 120_000 }, [
      [0, true],
      [60_000, false],
      [60_000, true],
      [60_000, false],
      [60_000, false],
      [60_000, false],
    ]);
    // Away from 180 s on; kept firing for 120 s from there.
    expect(flapping.log).toEqual(['0:firing', '300000:resolved']);
    // Without it, every flap is a resolve and a new fire.
    const noHold = run({ forMs: 0, keepFiringForMs: 0 }, [
      [0, true],
      [60_000, false],
      [60_000, true],
      [60_000, false],
    ]);
    expect(noHold.log).toEqual(['0:firing', '60000:resolved', '120000:firing', '180000:resolved']);
  });

  it('keeps activeAt and firedAt, and updates the value while firing', () => {
    const clock = new ManualClock(5000);
    const instances = new Map<string, AlertInstance>();
    stepAlerts(instances, new Map([['a', A]]), clock.now(), { forMs: 0, keepFiringForMs: 0 });
    clock.advance(1000);
    stepAlerts(instances, new Map([['a', { ...A, value: 20 }]]), clock.now(), { forMs: 0, keepFiringForMs: 0 });
    expect(instances.get('a')).toMatchObject({ state: 'firing', activeAt: 5000, firedAt: 5000, lastActiveAt: 6000, keepFiringSince: null, value: 20 });
  });
});
