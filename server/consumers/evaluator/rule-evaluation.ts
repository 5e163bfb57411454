import fs from 'node:fs';
import path from 'node:path';
import type { Registry } from 'prom-client';
import type { AlertInput } from '../../alerting/alert.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import { registerRuleMetrics } from '../../metrics/rule-metrics.js';
import type { LogSource } from '../../query/log-source.js';
import type { SampleSource } from '../../query/sample-source.js';
import { RuleDirectory, type RuleFileState } from '../../rules/rule-directory.js';
import type { TopicStore } from '../../store/index.js';
import type { Timers } from '../../timers.js';
import { AlertStateStore, type HistoryEntry, type HistoryQuery } from './alert-state-store.js';
import { backtestRules, type BacktestRequest, type RuleBacktest } from './backtest.js';
import { Evaluator, type ActiveAlert, type GroupStatus } from './evaluator.js';

/** What the evaluator needs from alerting (Alerting fits). */
export interface AlertingPort {
  receive(alerts: readonly AlertInput[]): { errors: Array<{ index: number; error: string }> };
  status(labels: Record<string, string>): { silencedBy: string[]; inhibitedBy: string[] };
}

export interface RuleEvaluationOptions {
  store: TopicStore;
  topics: { logs: string; metrics: string };
  /** The evaluator's SQLite file goes in `<dataDir>/evaluator/`. */
  dataDir: string;
  rulesDir: string;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  registry: Registry;
  alerting: AlertingPort;
  /** Where a backtest reads lines and samples (the query layer's sources). */
  logs: () => LogSource;
  samples: SampleSource;
  /** The UI's base URL, for each alert's generatorURL. */
  baseUrl: () => string;
}

/**
 * Alert rules at run time, assembled: the rules directory (watched, hot-reloaded), the evaluator fed
 * from it, its state database, its /metrics gauges, and what the HTTP routes ask of them (rules with
 * health and file errors, active alerts with their silence status, history, backtests).
 */
export class RuleEvaluation {
  readonly evaluator: Evaluator;
  private readonly state: AlertStateStore;
  private readonly directory: RuleDirectory;

  private constructor(private readonly options: RuleEvaluationOptions) {
    const log = options.logger;
    this.state = AlertStateStore.open(path.join(options.dataDir, 'evaluator', 'evaluator.db'));
    this.evaluator = new Evaluator({
      store: options.store,
      topics: options.topics,
      state: this.state,
      sink: {
        send: (alerts) => {
          const { errors } = options.alerting.receive(alerts);
          for (const e of errors) log.warn('alerting refused an alert', { labels: alerts[e.index]?.labels, error: e.error });
        },
      },
      clock: options.clock,
      timers: options.timers,
      logger: log,
      generatorUrl: (rule) => `${options.baseUrl()}/alerts?alertname=${encodeURIComponent(rule.name)}`,
      routerThread: true,
    });
    this.directory = new RuleDirectory({
      dir: options.rulesDir,
      now: () => options.clock.now(),
      onChange: (groups) => {
        log.info('alert rules loaded', { groups: groups.length, rules: groups.reduce((n, g) => n + g.rules.length, 0) });
        this.evaluator.setRules(groups, this.neverLoadedFiles());
      },
      onFileError: (file, errors) =>
        log.warn('rule file has problems; its previous version stays in effect', { file, problems: errors.map((e) => e.message) }),
    });
  }

  static async start(options: RuleEvaluationOptions): Promise<RuleEvaluation> {
    fs.mkdirSync(path.join(options.dataDir, 'evaluator'), { recursive: true });
    const running = new RuleEvaluation(options);
    try {
      if (!running.directory.reload()) running.evaluator.setRules([], running.neverLoadedFiles());
      registerRuleMetrics(options.registry, { evaluator: running.evaluator, files: () => running.directory.fileStates() });
      await running.evaluator.start();
      running.directory.watch();
    } catch (err) {
      await running.stop();
      throw err;
    }
    return running;
  }

  groups(): GroupStatus[] {
    return this.evaluator.groupStatuses();
  }

  files(): RuleFileState[] {
    return this.directory.fileStates();
  }

  backtest(request: BacktestRequest): Promise<RuleBacktest[]> {
    return backtestRules(request, this.options.logs(), this.options.samples);
  }

  active(): ActiveAlert[] {
    return this.evaluator.activeAlerts();
  }

  history(query: HistoryQuery): HistoryEntry[] {
    return this.evaluator.history(query);
  }

  status(labels: Record<string, string>): { silencedBy: string[]; inhibitedBy: string[] } {
    return this.options.alerting.status(labels);
  }

  async stop(): Promise<void> {
    this.directory.close();
    await this.evaluator.stop();
    this.state.close();
  }

  /**
   * Files that failed to load and have no good version in this process: their rules are unknown, so
   * alert state stored for them must wait rather than be resolved as if the rules were deleted.
   */
  private neverLoadedFiles(): Set<string> {
    return new Set(this.directory.fileStates().filter((f) => f.loadedAt === null).map((f) => path.basename(f.file)));
  }
}
