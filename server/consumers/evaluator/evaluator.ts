/**
 * The streaming alert rule evaluator.
 *
 * Data flow: the `logs` and `metrics` topics → TopicFollower (one long-poll loop per partition) →
 * RecordRouter (stream selectors, once per stream) → WindowFeed (pipeline, unwrap, projection) →
 * WindowSet (time buckets per series) → RuleRuntime (expression, no-data, state machine) →
 * AlertStateStore (SQLite) → AlertSink (alerting: routing, silences, notifications).
 *
 * When rules run:
 * - on arrival: a batch of records that changed a window marks the window's rules; they are evaluated
 *   `arrivalDelayMs` later (one pass for everything that arrived meanwhile), so `for: 0` fires well
 *   within 2 s of the record's acknowledgement;
 * - on schedule: each group's timer at its `interval` evaluates all its rules. Only this drives what
 *   happens without new data: `for` elapsing, windows emptying (resolution), no-data, re-sending.
 *
 * Guarantees across a crash:
 * - Transitions are committed to SQLite before they are sent on; pending and firing instances (with
 *   their `activeAt`, so `for` keeps counting) and no-data series are restored at start, and every
 *   firing instance is re-sent: at most one duplicate notification, never a lost one.
 * - Windows are rebuilt by replaying each topic from the first offset whose records may still fall in
 *   a window (found by timestamp, now − the longest range) up to where live following began. Until
 *   that replay is done, the affected rules are "warming": not evaluated (a half-filled window could
 *   resolve a firing alert or fire a `<` rule wrongly), their firing instances only re-sent. The same
 *   replay fills the window of a rule added by a hot reload.
 * - A record is placed by its own timestamp: an old record replayed (or sent late) counts only in the
 *   windows it falls in, so it can never fire an alert for "now". Conditions that began and ended
 *   entirely while the server was down longer than a rule's range are not reported (as Prometheus).
 */
import type { AlertInput } from '../../alerting/alert.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import type { MetricExpr } from '../../query/logql/ast.js';
import type { Sample } from '../../query/logql/metric/sample.js';
import type { AlertRule, RuleGroup } from '../../rules/rule-file.js';
import type { StoredRecord, TopicStore } from '../../store/index.js';
import type { TimerHandle, Timers } from '../../timers.js';
import type { AlertInstance, Transition } from './alert-state-machine.js';
import type { AlertStateStore, HistoryEntry, HistoryQuery, StoredInstance } from './alert-state-store.js';
import type { TrackedSeries } from './no-data-tracker.js';
import type { RecordChunk } from '../record-chunk.js';
import { ArrivalBatcher } from './arrival-batcher.js';
import { LiveRouterClient } from './live-router-client.js';
import { RecordRouter, type RouterCounters } from './record-router.js';
import { planRule } from './rule-plan.js';
import { RuleRuntime, ruleId, type EvaluationKind } from './rule-runtime.js';
import { replayTopic, TopicFollower } from './topic-follower.js';
import { WindowRegistry, type WindowEntry } from './window-registry.js';
import { DEFAULT_MAX_SERIES, type WindowSet } from './window-set.js';

/** Where alerts go (alerting's `receive`). Must not throw for a valid alert; must not block. */
export interface AlertSink {
  send(alerts: AlertInput[]): void;
}

export interface EvaluatorOptions {
  store: TopicStore;
  topics: { logs: string; metrics: string };
  state: AlertStateStore;
  sink: AlertSink;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Link to the rule, put in every alert (`generatorURL`). */
  generatorUrl?: (rule: AlertRule) => string;
  /** Consumer group the follower commits under. */
  group?: string;
  /** From a record's arrival to the evaluation it triggers; batches what arrives meanwhile. */
  arrivalDelayMs?: number;
  /** A firing alert is re-sent at least this often (it carries endsAt = now + 4 × this, as Prometheus). */
  resendDelayMs?: number;
  maxSeriesPerWindow?: number;
  historyRetentionMs?: number;
  /**
   * Route live records on a worker thread (where one can be started: the built server, not the
   * TypeScript sources under vitest). The server does; unit tests route inline.
   */
  routerThread?: boolean;
}

export const EVALUATOR_GROUP = 'sluice-evaluator';
const DEFAULT_ARRIVAL_DELAY_MS = 50;
/** Rules with `for` are evaluated on arrival at most this often (see ArrivalBatcher). */
const SLOW_ARRIVAL_DELAY_MS = 1000;
const DEFAULT_RESEND_DELAY_MS = 60_000;
const DEFAULT_HISTORY_RETENTION_MS = 30 * 24 * 3600_000;
const MAINTENANCE_INTERVAL_MS = 3600_000;

interface GroupEntry {
  key: string;
  group: RuleGroup;
  rules: RuleRuntime[];
  timer: TimerHandle | null;
  nextDue: number;
  lastEvaluation: number | null;
  lastEvaluationMs: number;
}

export interface RuleStatus {
  id: string;
  rule: AlertRule;
  health: RuleRuntime['health'];
  lastError: string | null;
  lastEvaluation: number | null;
  lastEvaluationMs: number;
  warming: boolean;
  /** Series in the rule's window right now. */
  series: number;
  instances: AlertInstance[];
}

export interface GroupStatus {
  name: string;
  file: string;
  intervalMs: number;
  lastEvaluation: number | null;
  lastEvaluationMs: number;
  rules: RuleStatus[];
}

export interface ActiveAlert {
  ruleId: string;
  rule: AlertRule;
  instance: AlertInstance;
}

export class Evaluator {
  private readonly rules = new Map<string, RuleRuntime>();
  private readonly windows: WindowRegistry;
  private groups = new Map<string, GroupEntry>();
  /** Instances loaded from SQLite, waiting for their rule to appear (first setRules). */
  private restored: Map<string, StoredInstance[]>;
  private restoredTracked: Map<string, TrackedSeries[]>;
  private readonly lastSent = new Map<string, number>();
  /** What was last written of each instance's value and annotations (see evaluate). */
  private readonly written = new Map<string, string>();
  private readonly arrivals: ArrivalBatcher;
  private maintenanceTimer: TimerHandle | null = null;
  private readonly follower: TopicFollower;
  private readonly live: LiveRouterClient;
  private readonly replays = new AbortController();
  private readonly pendingReplays = new Set<Promise<void>>();
  /** Files whose stored instances must not be ended before start (see setRules). */
  private protectedFiles: ReadonlySet<string> = new Set();
  private started = false;
  private stopped = false;
  private readonly resendDelayMs: number;
  readonly counters = { evaluations: 0, failures: 0, replayedRecords: 0 };

  constructor(private readonly options: EvaluatorOptions) {
    this.resendDelayMs = options.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS;
    this.windows = new WindowRegistry(options.maxSeriesPerWindow ?? DEFAULT_MAX_SERIES);
    this.arrivals = new ArrivalBatcher(options.timers, (rules) => this.evaluate(rules, 'arrival'), options.arrivalDelayMs ?? DEFAULT_ARRIVAL_DELAY_MS, SLOW_ARRIVAL_DELAY_MS);
    this.restored = new Map();
    for (const instance of options.state.loadInstances()) {
      let list = this.restored.get(instance.ruleId);
      if (list === undefined) this.restored.set(instance.ruleId, (list = []));
      list.push(instance);
    }
    this.restoredTracked = options.state.loadTracked();
    this.live = new LiveRouterClient(options.routerThread ?? false, options.logger);
    this.follower = new TopicFollower({
      store: options.store,
      group: options.group ?? EVALUATOR_GROUP,
      onChunk: (topic, _partition, chunk) => this.onChunk(topic, chunk),
      timers: options.timers,
      logger: options.logger,
    });
  }

  get routerCounters(): RouterCounters {
    return this.windows.router.counters;
  }

  /**
   * Puts a new set of rules in effect (hot reload). A rule keeps its alert instances across reloads as
   * long as its identity (file name, group, alert name) stays; a rule that is gone resolves its
   * firing instances. Rules of `protectedFiles` (files that failed to load since the server started,
   * so no version of them is known) keep their stored instances untouched.
   */
  setRules(groups: readonly RuleGroup[], protectedFiles: ReadonlySet<string> = new Set()): void {
    const now = this.options.clock.now();
    const next = new Map<string, RuleRuntime>();
    const nextGroups = new Map<string, GroupEntry>();
    for (const group of groups) {
      const occurrences = new Map<string, number>();
      const runtimes: RuleRuntime[] = [];
      for (const rule of group.rules) {
        const n = occurrences.get(rule.name) ?? 0;
        occurrences.set(rule.name, n + 1);
        const runtime = this.buildRuntime(ruleId(rule, n), rule, group.intervalMs);
        if (runtime === null) continue;
        next.set(runtime.id, runtime);
        runtimes.push(runtime);
      }
      const key = `${group.file}\u0000${group.name}`;
      const previous = this.groups.get(key);
      nextGroups.set(key, {
        key,
        group,
        rules: runtimes,
        timer: null,
        nextDue: now + group.intervalMs,
        lastEvaluation: previous?.lastEvaluation ?? null,
        lastEvaluationMs: previous?.lastEvaluationMs ?? 0,
      });
    }
    for (const [id, old] of this.rules) if (!next.has(id)) this.endRule(id, old.instances, old.rule, now);
    this.rules.clear();
    for (const [id, runtime] of next) this.rules.set(id, runtime);
    if (this.started) this.endOrphans(protectedFiles, now);
    else this.protectedFiles = protectedFiles;

    const added = this.windows.rebuild(this.rules.values());
    // Every chunk handed to the live router from here on is routed to exactly these windows.
    this.live.setFeeds(this.windows.all().map((e) => ({ windowKey: e.set.key, window: e.set.spec, range: e.range })));
    for (const old of this.groups.values()) old.timer?.cancel();
    this.groups = nextGroups;
    if (this.started) {
      for (const group of this.groups.values()) this.schedule(group);
      this.unfollowUnread();
      if (added.length > 0) this.replay(added);
    }
  }

  /** Starts following the topics, replays the windows, and starts the group schedules. */
  async start(): Promise<void> {
    if (this.started) return;
    this.follower.start();
    this.started = true;
    const now = this.options.clock.now();
    this.endOrphans(this.protectedFiles, now);
    // Re-send every firing instance: alerting may not have received (or kept) what we sent before a crash.
    const sends: AlertInput[] = [];
    for (const runtime of this.rules.values()) {
      for (const instance of runtime.instances.values()) if (instance.state === 'firing') sends.push(this.firingAlert(runtime, instance, now));
    }
    this.send(sends);
    for (const group of this.groups.values()) this.schedule(group);
    this.scheduleMaintenance();
    this.options.logger.info('evaluator started', { rules: this.rules.size, router: this.live.mode });
    this.replay(this.windows.all().filter((w) => w.warming));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.arrivals.stop();
    this.maintenanceTimer?.cancel();
    for (const group of this.groups.values()) group.timer?.cancel();
    this.replays.abort();
    await this.follower.stop();
    await Promise.allSettled([...this.pendingReplays]);
    await this.live.close();
  }

  /** Resolves when no replay is running (tests and the benchmark wait for warm windows). */
  async whenWarm(): Promise<void> {
    while (this.pendingReplays.size > 0) await Promise.allSettled([...this.pendingReplays]);
  }

  groupStatuses(): GroupStatus[] {
    return [...this.groups.values()].map((g) => ({
      name: g.group.name,
      file: g.group.file,
      intervalMs: g.group.intervalMs,
      lastEvaluation: g.lastEvaluation,
      lastEvaluationMs: g.lastEvaluationMs,
      rules: g.rules.map((r) => {
        const entries = this.windows.of(r);
        return {
          id: r.id,
          rule: r.rule,
          health: r.health,
          lastError: r.lastError,
          lastEvaluation: r.lastEvaluation,
          lastEvaluationMs: r.lastEvaluationMs,
          warming: entries.some((e) => e.warming),
          series: entries.reduce((n, e) => n + e.set.seriesCount, 0),
          instances: [...r.instances.values()],
        };
      }),
    }));
  }

  /** The topics read live right now (those some rule reads). */
  followedTopics(): string[] {
    return [this.options.topics.logs, this.options.topics.metrics].filter((t) => this.follower.isFollowing(t));
  }

  activeAlerts(): ActiveAlert[] {
    const out: ActiveAlert[] = [];
    for (const runtime of this.rules.values()) for (const instance of runtime.instances.values()) out.push({ ruleId: runtime.id, rule: runtime.rule, instance });
    return out.sort((a, b) => a.instance.activeAt - b.instance.activeAt || (a.instance.fingerprint < b.instance.fingerprint ? -1 : 1));
  }

  history(query: HistoryQuery): HistoryEntry[] {
    return this.options.state.history(query);
  }

  // ------------------------------------------------------------------------------------------ rules

  private buildRuntime(id: string, rule: AlertRule, intervalMs: number): RuleRuntime | null {
    let plan;
    try {
      plan = planRule(rule.query as MetricExpr);
    } catch (err) {
      // rule-file.ts refuses such expressions; this only guards against a gap between the two.
      this.options.logger.error('alert rule cannot be evaluated', { rule: id, err });
      return null;
    }
    const runtime = new RuleRuntime(id, rule, plan, intervalMs);
    const previous = this.rules.get(id);
    if (previous !== undefined) {
      for (const [fp, instance] of previous.instances) runtime.instances.set(fp, instance);
      if (previous.noData !== null) runtime.noData?.restore(previous.noData.tracked());
      runtime.health = previous.health;
      runtime.lastError = previous.lastError;
      runtime.lastEvaluation = previous.lastEvaluation;
      runtime.lastEvaluationMs = previous.lastEvaluationMs;
    } else {
      for (const stored of this.restored.get(id) ?? []) {
        const { ruleId: _ruleId, ...instance } = stored;
        runtime.instances.set(instance.fingerprint, instance);
      }
      this.restored.delete(id);
      const tracked = this.restoredTracked.get(id);
      if (tracked !== undefined) runtime.noData?.restore(tracked);
      this.restoredTracked.delete(id);
    }
    return runtime;
  }

  /** Instances restored from SQLite whose rule no longer exists end now (unless their file is protected). */
  private endOrphans(protectedFiles: ReadonlySet<string>, now: number): void {
    for (const [id, stored] of this.restored) {
      if (protectedFiles.has(id.slice(0, id.indexOf('/')))) continue;
      const instances = new Map(stored.map((s) => [s.fingerprint, s as AlertInstance]));
      this.endRule(id, instances, null, now);
      this.restored.delete(id);
    }
  }

  private endRule(id: string, instances: ReadonlyMap<string, AlertInstance>, rule: AlertRule | null, now: number): void {
    const endings: Transition[] = [...instances.values()].map((instance) => ({ kind: instance.state === 'firing' ? 'resolved' : 'inactive', at: now, instance }));
    this.options.state.dropRule(id, endings);
    this.send(
      endings
        .filter((t) => t.kind === 'resolved')
        .map((t) => ({
          labels: t.instance.labels,
          annotations: t.instance.annotations,
          startsAt: t.instance.firedAt ?? t.instance.activeAt,
          endsAt: now,
          generatorURL: rule === null ? '' : (this.options.generatorUrl?.(rule) ?? ''),
        })),
    );
    for (const t of endings) this.lastSent.delete(`${id}\u0000${t.instance.fingerprint}`);
  }

  // ---------------------------------------------------------------------------------------- records

  /**
   * A live chunk: routed (on the router thread, if there is one) into per-series sums, merged here into
   * the windows, and the rules of the windows it changed evaluated soon. A routing failure rejects, and
   * the follower fetches the chunk again; a window dropped by a reload meanwhile is skipped.
   */
  private async onChunk(topic: string, chunk: RecordChunk): Promise<void> {
    const result = await this.live.route(topic === this.options.topics.logs ? 'logs' : 'metrics', chunk, this.options.clock.now());
    const counters = this.windows.router.counters;
    counters.records += result.counters.records;
    counters.matched += result.counters.matched;
    counters.future += result.counters.future;
    counters.undecodable += result.counters.undecodable;
    const now = this.options.clock.now();
    try {
      for (const delta of result.deltas) {
        const entry = this.windows.byKey(delta.key);
        if (entry === undefined || !entry.set.merge(delta, now) || entry.warming) continue;
        for (const rule of entry.rules) this.arrivals.mark(rule);
      }
    } catch (err) {
      // A bug in one evaluation must not stall the topic: log it and go on.
      this.options.logger.error('evaluator failed on a batch', { topic, partition: chunk.partition, err });
    }
  }

  /** Stops reading a topic no rule reads (a server without metric rules never decodes a metric record). */
  private unfollowUnread(): void {
    const { router } = this.windows;
    if (!router.wantsLogs) void this.follower.unfollow(this.options.topics.logs);
    if (!router.wantsMetrics) void this.follower.unfollow(this.options.topics.metrics);
  }

  /** Fills new window sets from the topics, then lets their rules run. */
  private replay(entries: WindowEntry[]): void {
    if (entries.length === 0) return;
    const router = new RecordRouter(entries.map((e) => e.feed));
    const fromMs = this.options.clock.now() - Math.max(...entries.map((e) => e.set.horizonMs));
    const { logs, metrics } = this.options.topics;
    const started = performance.now();
    // Taken now, before any await: chunks handed over from here on are routed with the new windows'
    // feeds, so the replay must end exactly where they begin (see TopicFollower.handedOverOf).
    const handedOver = new Map([logs, metrics].filter((t) => this.follower.isFollowing(t)).map((t) => [t, this.follower.handedOverOf(t)]));
    const run = (async () => {
      const discard = new Set<WindowSet>();
      const onRecords = (topic: string, _partition: number, records: readonly StoredRecord[]) => {
        this.counters.replayedRecords += records.length;
        if (topic === logs) router.routeLogs(records, this.options.clock.now(), discard);
        else router.routeMetrics(records, this.options.clock.now(), discard);
        discard.clear();
      };
      const common = { store: this.options.store, fromMs, onRecords, signal: this.replays.signal };
      // Live following starts first (at the topic's end, if it was not followed), then the replay
      // reads everything before where it started: together, every record exactly once.
      for (const [topic, wanted] of [
        [logs, router.wantsLogs],
        [metrics, router.wantsMetrics],
      ] as const) {
        if (!wanted) continue;
        await this.follower.follow(topic);
        await replayTopic({ ...common, topic, until: handedOver.get(topic) ?? this.follower.startsOf(topic) });
      }
    })();
    const tracked = run
      .catch((err) => this.options.logger.error('evaluator replay failed; the windows of the rules below may be incomplete', { err, windows: entries.map((e) => e.set.key) }))
      .then(() => {
        this.pendingReplays.delete(tracked);
        if (this.stopped) return;
        for (const entry of entries) entry.warming = false;
        this.options.logger.info('evaluator windows ready', { windows: entries.length, ms: Math.round(performance.now() - started) });
        this.evaluate([...new Set(entries.flatMap((e) => [...e.rules]))], 'arrival');
      });
    this.pendingReplays.add(tracked);
  }

  // ------------------------------------------------------------------------------------- evaluation

  private schedule(group: GroupEntry): void {
    if (this.stopped) return;
    const delay = Math.max(0, group.nextDue - this.options.clock.now());
    group.timer = this.options.timers.set(delay, () => {
      if (this.groups.get(group.key) !== group) return;
      const started = performance.now();
      this.evaluate(group.rules, 'scheduled');
      group.lastEvaluation = this.options.clock.now();
      group.lastEvaluationMs = performance.now() - started;
      // Fixed rate: the next run is due one interval after this one was due, not after it finished.
      group.nextDue = Math.max(group.nextDue + group.group.intervalMs, this.options.clock.now());
      this.schedule(group);
    });
  }

  /** One evaluation pass: evaluate, commit every transition in one transaction, then send. */
  private evaluate(rules: readonly RuleRuntime[], kind: EvaluationKind): void {
    if (this.stopped || rules.length === 0) return;
    const now = this.options.clock.now();
    const vectors = new Map<WindowSet, Sample[]>();
    const changes: Array<{ ruleId: string; transitions: Transition[]; tracked: ReturnType<RuleRuntime['evaluate']>['tracked'] }> = [];
    const refresh: Array<{ ruleId: string; instance: AlertInstance }> = [];
    const sends: AlertInput[] = [];
    for (const runtime of rules) {
      if (this.rules.get(runtime.id) !== runtime) continue; // replaced by a reload meanwhile
      const entries = this.windows.of(runtime);
      if (entries.some((e) => e.warming)) {
        if (kind === 'scheduled') this.resendFiring(runtime, now, sends);
        continue;
      }
      const started = performance.now();
      try {
        const rangeVectors = entries.map((entry) => {
          let vector = vectors.get(entry.set);
          if (vector === undefined) vectors.set(entry.set, (vector = entry.set.vector(now)));
          return vector;
        });
        const result = runtime.evaluate(now, rangeVectors, kind);
        this.counters.evaluations++;
        if (result.transitions.length > 0 || result.tracked !== null) changes.push({ ruleId: runtime.id, ...result });
        for (const t of result.transitions) {
          const key = `${runtime.id}\u0000${t.instance.fingerprint}`;
          if (t.kind === 'firing') {
            sends.push(this.firingAlert(runtime, t.instance, now));
            this.lastSent.set(key, now);
          } else if (t.kind === 'resolved') {
            sends.push(this.resolvedAlert(runtime, t.instance, now));
            this.lastSent.delete(key);
          }
          if (t.kind === 'resolved' || t.kind === 'inactive') this.written.delete(key);
        }
        let due = Infinity;
        for (const instance of runtime.instances.values()) if (instance.state === 'pending') due = Math.min(due, instance.activeAt + runtime.rule.forMs);
        if (due < Infinity) this.arrivals.wakeAt(runtime, due, now);
        if (kind === 'scheduled') {
          this.resendFiring(runtime, now, sends);
          for (const instance of runtime.instances.values()) {
            // Only what changed since it was last written: a steady alert costs no write per schedule.
            const key = `${runtime.id}\u0000${instance.fingerprint}`;
            const written = `${instance.value}\u0000${instance.lastActiveAt}\u0000${instance.keepFiringSince}\u0000${JSON.stringify(instance.annotations)}`;
            if (this.written.get(key) === written) continue;
            this.written.set(key, written);
            refresh.push({ ruleId: runtime.id, instance });
          }
        }
      } catch (err) {
        this.counters.failures++;
        runtime.fail(now, (err as Error).message);
        this.options.logger.error('alert rule evaluation failed', { rule: runtime.id, err });
      }
      runtime.lastEvaluationMs = performance.now() - started;
    }
    try {
      if (changes.length > 0 || refresh.length > 0) this.options.state.commit(changes, refresh);
    } catch (err) {
      // Not durable, so not sent: the firing instances go out with the next re-send instead.
      this.options.logger.error('alert state could not be saved', { err });
      return;
    }
    this.send(sends);
  }

  private resendFiring(runtime: RuleRuntime, now: number, sends: AlertInput[]): void {
    for (const instance of runtime.instances.values()) {
      if (instance.state !== 'firing') continue;
      const key = `${runtime.id}\u0000${instance.fingerprint}`;
      if (now - (this.lastSent.get(key) ?? -Infinity) < this.resendDelayMs) continue;
      sends.push(this.firingAlert(runtime, instance, now));
      this.lastSent.set(key, now);
    }
  }

  private firingAlert(runtime: RuleRuntime, instance: AlertInstance, now: number): AlertInput {
    const validFor = 4 * Math.max(this.resendDelayMs, runtime.intervalMs);
    return {
      labels: instance.labels,
      annotations: instance.annotations,
      startsAt: instance.firedAt ?? now,
      endsAt: now + validFor,
      generatorURL: this.options.generatorUrl?.(runtime.rule) ?? '',
    };
  }

  private resolvedAlert(runtime: RuleRuntime, instance: AlertInstance, now: number): AlertInput {
    return {
      labels: instance.labels,
      annotations: instance.annotations,
      startsAt: instance.firedAt ?? instance.activeAt,
      endsAt: now,
      generatorURL: this.options.generatorUrl?.(runtime.rule) ?? '',
    };
  }

  private send(alerts: AlertInput[]): void {
    if (alerts.length === 0) return;
    try {
      this.options.sink.send(alerts);
    } catch (err) {
      this.options.logger.error('alerts could not be handed to alerting', { alerts: alerts.length, err });
    }
  }

  private scheduleMaintenance(): void {
    this.maintenanceTimer = this.options.timers.set(MAINTENANCE_INTERVAL_MS, () => {
      try {
        this.options.state.pruneHistory(this.options.clock.now() - (this.options.historyRetentionMs ?? DEFAULT_HISTORY_RETENTION_MS));
      } catch (err) {
        this.options.logger.warn('alert history pruning failed', { err });
      }
      if (!this.stopped) this.scheduleMaintenance();
    });
  }
}
