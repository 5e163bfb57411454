import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertInput } from '../../alerting/alert.js';
import { ManualClock } from '../../clock.js';
import { Ingestor } from '../../ingest/ingestor.js';
import { silentLogger } from '../../log/logger.js';
import { parseRuleFile, type RuleGroup } from '../../rules/rule-file.js';
import { FileTopicStore } from '../../store/index.js';
import { ManualTimers } from '../../timers.js';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { AlertStateStore } from './alert-state-store.js';
import { Evaluator } from './evaluator.js';

const T0 = 1_700_000_000_000;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const RULES = `groups:
  - name: app
    interval: 10s
    rules:
      - alert: Errors
        expr: sum by (service) (count_over_time({level="error"}[1m])) > 2
        labels: { severity: page }
        annotations: { summary: "{{ $labels.service }}: {{ $value }} errors" }
`;

const rules = (text = RULES): RuleGroup[] => parseRuleFile('/rules/app.yaml', text);

/** A real file store and state database in a temp dir; the evaluator on a manual clock and manual timers. */
async function setup() {
  const dir = tempDir('sluice-evaluator-');
  const clock = new ManualClock(T0);
  const timers = new ManualTimers(clock);
  const store = FileTopicStore.open({ dataDir: path.join(dir, 'data'), clock, logger: silentLogger, fsync: { mode: 'never' } });
  cleanup.push(() => store.close());
  const ingestor = new Ingestor(store, clock, { logs: 'logs', metrics: 'metrics', partitions: 3 });
  await ingestor.ensureTopics();
  const sent: AlertInput[] = [];
  const states: AlertStateStore[] = [];
  const evaluators: Evaluator[] = [];
  const startEvaluator = async (groups: RuleGroup[] = rules()) => {
    const state = AlertStateStore.open(path.join(dir, 'evaluator.db'));
    const evaluator = new Evaluator({
      store,
      topics: { logs: 'logs', metrics: 'metrics' },
      state,
      sink: { send: (alerts) => sent.push(...alerts) },
      clock,
      timers,
      logger: silentLogger,
    });
    evaluator.setRules(groups);
    await evaluator.start();
    await evaluator.whenWarm();
    states.push(state);
    evaluators.push(evaluator);
    cleanup.push(async () => {
      await evaluator.stop();
      state.close();
    });
    return { evaluator, state };
  };
  const errors = async (service: string, n: number, ageMs = 1000) => {
    await ingestor.ingestLogs(Array.from({ length: n }, (_, i) => ({ ts: `${clock.now() - ageMs}000000`, line: `error ${i}`, labels: { service, level: 'error' } })));
  };
  return { clock, timers, store, ingestor, sent, startEvaluator, errors };
}

/** Waits until the evaluator has routed `n` records in total, then lets the arrival timer run. */
async function arrive(evaluator: Evaluator, timers: ManualTimers, n: number) {
  await waitFor(() => evaluator.routerCounters.records >= n, 5000, `${n} records routed`);
  await timers.advance(100);
}

describe('Evaluator', () => {
  it('fires on arrival, without waiting for the group schedule', async () => {
    const { timers, sent, startEvaluator, errors } = await setup();
    const { evaluator, state } = await startEvaluator();
    await errors('api', 3);
    await errors('web', 1);
    await arrive(evaluator, timers, 4);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ labels: { alertname: 'Errors', service: 'api', severity: 'page' }, annotations: { summary: 'api: 3 errors' }, startsAt: T0 + 50 });
    expect(evaluator.activeAlerts().map((a) => a.instance.state)).toEqual(['firing']);
    expect(state.history({ limit: 10 }).map((h) => `${h.state}:${h.labels.service}`)).toEqual(['firing:api']);
  });

  it('resolves on schedule once the window has emptied', async () => {
    const { timers, sent, startEvaluator, errors } = await setup();
    const { evaluator, state } = await startEvaluator();
    await errors('api', 3);
    await arrive(evaluator, timers, 3);
    await timers.advance(50_000);
    expect(sent).toHaveLength(1);
    // The errors (1 s before T0) leave the 1-minute window by the schedule at T0 + 60 s.
    await timers.advance(20_000);
    expect(sent.map((a) => a.endsAt)).toEqual([T0 + 50 + 240_000, T0 + 60_000]);
    expect(evaluator.activeAlerts()).toEqual([]);
    expect(state.history({ limit: 10 }).map((h) => [h.state, h.at])).toEqual([
      ['resolved', T0 + 60_000],
      ['firing', T0 + 50],
    ]);
  });

  it('re-sends a firing alert every minute, valid for four', async () => {
    const { clock, timers, sent, startEvaluator, errors } = await setup();
    const { evaluator } = await startEvaluator();
    await errors('api', 3);
    await arrive(evaluator, timers, 3);
    await timers.advance(55_000);
    await errors('api', 3);
    await arrive(evaluator, timers, 6);
    await timers.advance(16_000);
    expect(clock.now()).toBeGreaterThan(T0 + 70_000);
    expect(sent.map((a) => [a.startsAt, a.endsAt])).toEqual([
      [T0 + 50, T0 + 50 + 240_000],
      [T0 + 50, T0 + 70_000 + 240_000],
    ]);
  });

  it('a restart keeps firing alerts (same start, re-sent) and rebuilds the windows without a second firing', async () => {
    const { clock, timers, sent, startEvaluator, errors } = await setup();
    const first = await startEvaluator();
    await errors('api', 3);
    await arrive(first.evaluator, timers, 3);
    const firedAt = first.evaluator.activeAlerts()[0]!.instance.firedAt;
    await first.evaluator.stop();
    first.state.close();
    clock.advance(5000);
    sent.length = 0;

    const second = await startEvaluator();
    expect(second.evaluator.activeAlerts().map((a) => [a.instance.state, a.instance.firedAt])).toEqual([['firing', firedAt]]);
    expect(sent.map((a) => a.startsAt)).toEqual([firedAt]);
    await timers.advance(10_000);
    expect(second.evaluator.activeAlerts()).toHaveLength(1);
    // The replayed window still holds the 3 errors: the alert goes on, not fired a second time.
    expect(second.state.history({ limit: 10 }).map((h) => h.state)).toEqual(['firing']);
  });

  it('a record acknowledged but never evaluated before a crash fires after the restart', async () => {
    const { timers, sent, startEvaluator, errors } = await setup();
    const first = await startEvaluator();
    await errors('api', 3);
    await waitFor(() => first.evaluator.routerCounters.records >= 3);
    // Stopped before its arrival timer ran: nothing evaluated, nothing stored.
    await first.evaluator.stop();
    first.state.close();
    expect(sent).toEqual([]);
    const second = await startEvaluator();
    expect(second.evaluator.activeAlerts().map((a) => a.instance.labels.service)).toEqual(['api']);
    expect(sent).toHaveLength(1);
    void timers;
  });

  it('hot reload: a changed rule keeps its instances; a removed rule resolves them; a new rule is filled from the topic', async () => {
    const { timers, sent, startEvaluator, errors } = await setup();
    const { evaluator } = await startEvaluator();
    await errors('api', 3);
    await arrive(evaluator, timers, 3);
    expect(sent).toHaveLength(1);

    evaluator.setRules(rules(RULES.replace('> 2', '> 1')));
    await evaluator.whenWarm();
    await timers.advance(10_000);
    expect(evaluator.activeAlerts().map((a) => a.instance.firedAt)).toEqual([sent[0]!.startsAt]);

    const added = `${RULES}      - alert: ApiErrors
        expr: count_over_time({service="api"}[1m]) > 2
`;
    evaluator.setRules(rules(added));
    await evaluator.whenWarm();
    await timers.advance(100);
    expect(evaluator.activeAlerts().map((a) => a.instance.labels.alertname).sort()).toEqual(['ApiErrors', 'Errors']);

    const before = sent.length;
    evaluator.setRules([]);
    expect(sent.slice(before).map((a) => [a.labels.alertname, a.endsAt! <= T0 + 20_000])).toEqual([
      ['Errors', true],
      ['ApiErrors', true],
    ]);
    expect(evaluator.activeAlerts()).toEqual([]);
  });

  it('a rule added while records flow counts each of them exactly once (its replay ends where live routing with it begins)', async () => {
    const { timers, startEvaluator, errors } = await setup();
    const { evaluator } = await startEvaluator();
    const added = `${RULES}      - alert: ApiErrors
        expr: count_over_time({service="api"}[1m]) > 0
`;
    let sentRecords = 0;
    for (let batch = 0; batch < 60; batch++) {
      await errors('api', 7);
      sentRecords += 7;
      // Reload while the follower may be between handing a chunk over and getting it routed back.
      if (batch === 20 || batch === 40) evaluator.setRules(rules(batch === 20 ? added : `${added}      - alert: Other\n        expr: count_over_time({service="x"}[1m]) > 0\n`));
      if (batch % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await evaluator.whenWarm();
    await waitFor(() => evaluator.routerCounters.records >= sentRecords, 5000, 'every record routed');
    await timers.advance(10_000);
    const api = evaluator.activeAlerts().find((a) => a.rule.name === 'ApiErrors');
    expect(api?.instance.value).toBe(sentRecords);
  });

  it('reads only the topics some rule reads', async () => {
    const { ingestor, startEvaluator, errors } = await setup();
    const { evaluator } = await startEvaluator();
    expect(evaluator.followedTopics()).toEqual(['logs']);
    await ingestor.ingestMetrics([{ name: 'node_cpu_percent', value: 50, labels: { host: 'a' } }]);
    await errors('api', 1);
    await waitFor(() => evaluator.routerCounters.records >= 1);
    evaluator.setRules([]);
    await waitFor(() => evaluator.followedTopics().length === 0);
    await errors('api', 5);
    // Only the one log record was ever read: no rule reads metrics, and none reads logs any more.
    expect(evaluator.routerCounters.records).toBe(1);
  });

  it('a rule with `for` starts pending on arrival (within a second) and fires when `for` runs out, not at the next schedule', async () => {
    const { timers, sent, startEvaluator, errors } = await setup();
    const slow = RULES.replace('interval: 10s', 'interval: 1m').replace('labels: { severity: page }', 'for: 5s\n        labels: { severity: page }');
    const { evaluator, state } = await startEvaluator(rules(slow));
    await errors('api', 3);
    await waitFor(() => evaluator.routerCounters.records >= 3);
    await timers.advance(1000);
    expect(evaluator.activeAlerts().map((a) => a.instance.state)).toEqual(['pending']);
    const since = evaluator.activeAlerts()[0]!.instance.activeAt;
    await timers.advance(5000);
    expect(sent.map((a) => a.startsAt)).toEqual([since + 5000]);
    expect(state.history({ limit: 5 }).map((h) => h.state)).toEqual(['firing', 'pending']);
  });
});
