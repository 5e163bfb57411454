import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { ManualTimers } from '../timers.js';
import { toAlert, type Alert } from './alert.js';
import type { GroupFlush } from './aggregation-group.js';
import { alertingConfigSchema } from './alerting-config.js';
import { Dispatcher } from './dispatcher.js';
import { Route } from './route.js';

const SECOND = 1000;

function setup(route: unknown, handled = true) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const flushes: Array<GroupFlush & { fingerprints: string[] }> = [];
  const config = alertingConfigSchema.parse({ route, receivers: [{ name: 'r0' }, { name: 'r1' }] });
  const dispatcher = new Dispatcher(new Route(config.route), {
    clock,
    timers,
    flush: (f) => {
      flushes.push({ ...f, fingerprints: f.alerts.map((a) => a.fingerprint) });
      return handled;
    },
  });
  const send = (labels: Record<string, string>, extra: { startsAt?: number; endsAt?: number } = {}): Alert => {
    const alert = toAlert({ labels, ...extra }, clock.now(), 300 * SECOND) as Alert;
    dispatcher.process(alert);
    return alert;
  };
  return { clock, timers, flushes, dispatcher, send };
}

const timing = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };

describe('Dispatcher grouping and timers', () => {
  it('waits group_wait, then flushes every alert that arrived meanwhile in one group', async () => {
    const { timers, flushes, send, clock } = setup({ receiver: 'r0', group_by: ['alertname'], ...timing });
    const start = clock.now();
    const a = send({ alertname: 'Down', instance: 'a' });
    await timers.advance(10 * SECOND);
    const b = send({ alertname: 'Down', instance: 'b' });
    await timers.advance(19 * SECOND);
    expect(flushes).toHaveLength(0);
    await timers.advance(1 * SECOND);
    expect(flushes).toHaveLength(1);
    expect(flushes[0]!.now).toBe(start + 30 * SECOND);
    expect(flushes[0]!.fingerprints).toEqual([a.fingerprint, b.fingerprint]);
    expect(flushes[0]!.groupKey).toBe('{}:{alertname="Down"}');
    expect(flushes[0]!.groupLabels).toEqual({ alertname: 'Down' });
  });

  it('then flushes every group_interval, so a new alert waits for the next tick', async () => {
    const { timers, flushes, send, clock } = setup({ receiver: 'r0', group_by: ['alertname'], ...timing });
    const start = clock.now();
    send({ alertname: 'Down', instance: 'a' });
    await timers.advance(30 * SECOND);
    send({ alertname: 'Down', instance: 'b' });
    await timers.advance(4 * 60 * SECOND);
    expect(flushes).toHaveLength(1);
    await timers.advance(60 * SECOND);
    expect(flushes.map((f) => [f.now - start, f.alerts.length])).toEqual([
      [30 * SECOND, 1],
      [330 * SECOND, 2],
    ]);
  });

  it('flushes a new group at once when its alert started longer than group_wait ago', async () => {
    const { timers, flushes, send, clock } = setup({ receiver: 'r0', ...timing });
    send({ alertname: 'Old' }, { startsAt: clock.now() - 60 * SECOND });
    await timers.advance(0);
    expect(flushes).toHaveLength(1);
  });

  it('keeps one group per distinct group_by values and per route', async () => {
    const { timers, flushes, send, dispatcher } = setup({
      receiver: 'r0',
      group_by: ['alertname', 'cluster'],
      ...timing,
      routes: [{ matchers: ['severity="page"'], receiver: 'r1', continue: true }, { matchers: ['severity=~".+"'] }],
    });
    send({ alertname: 'Down', cluster: 'c1', severity: 'page' });
    send({ alertname: 'Down', cluster: 'c2', severity: 'page' });
    send({ alertname: 'Down', cluster: 'c1', severity: 'page', instance: 'x' });
    expect(dispatcher.list().map((g) => [g.receiver, g.groupKey, g.alerts.length])).toEqual([
      ['r1', '{}/{severity="page"}:{alertname="Down", cluster="c1"}', 2],
      ['r0', '{}/{severity=~".+"}:{alertname="Down", cluster="c1"}', 2],
      ['r1', '{}/{severity="page"}:{alertname="Down", cluster="c2"}', 1],
      ['r0', '{}/{severity=~".+"}:{alertname="Down", cluster="c2"}', 1],
    ]);
    await timers.advance(30 * SECOND);
    expect(flushes).toHaveLength(4);
  });

  it('drops resolved alerts after a handled flush, and the group once it is empty', async () => {
    const { timers, flushes, send, dispatcher, clock } = setup({ receiver: 'r0', ...timing });
    const a = send({ alertname: 'A' });
    send({ alertname: 'B' }, { startsAt: clock.now(), endsAt: clock.now() + 10 * SECOND });
    await timers.advance(30 * SECOND);
    expect(flushes[0]!.alerts).toHaveLength(2);
    expect(dispatcher.list()[0]!.alerts).toEqual([a.fingerprint]);
    send({ alertname: 'A' }, { startsAt: a.startsAt, endsAt: clock.now() });
    await timers.advance(5 * 60 * SECOND);
    expect(flushes).toHaveLength(2);
    expect(dispatcher.list()).toEqual([]);
    await timers.advance(60 * 60 * SECOND);
    expect(flushes).toHaveLength(2);
    expect(timers.size).toBe(0);
  });

  it('keeps resolved alerts when the flush was not handled, to try again', async () => {
    const { timers, flushes, send, clock } = setup({ receiver: 'r0', ...timing }, false);
    send({ alertname: 'A' }, { startsAt: clock.now(), endsAt: clock.now() + SECOND });
    await timers.advance(30 * SECOND);
    await timers.advance(5 * 60 * SECOND);
    expect(flushes).toHaveLength(2);
  });

  it('orders alerts like Alertmanager: job, instance, then labels', async () => {
    const { timers, flushes, send } = setup({ receiver: 'r0', ...timing });
    send({ alertname: 'A', job: 'b', instance: '1' });
    send({ alertname: 'A', job: 'a', instance: '2' });
    send({ alertname: 'A', job: 'a', instance: '1' });
    send({ alertname: 'A' });
    await timers.advance(30 * SECOND);
    expect(flushes[0]!.alerts.map((x) => `${x.labels.job ?? '-'}/${x.labels.instance ?? '-'}`)).toEqual(['a/1', 'a/2', 'b/1', '-/-']);
  });
});
