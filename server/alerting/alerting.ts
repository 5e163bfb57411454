import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { SluiceError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { AddressGuard } from '../notifiers/address-guard.js';
import { DeliveryLog, type DeliveryAttempt, type DeliveryLogQuery } from '../notifiers/delivery-log.js';
import { Outbox, type PendingNotification } from '../notifiers/outbox.js';
import { migrateOutbox } from '../notifiers/outbox-schema.js';
import { IntegrationSet } from '../notifiers/registry.js';
import { openDurableSqlite, type SqliteDb } from '../sqlite.js';
import type { TimerHandle, Timers } from '../timers.js';
import { isResolved, toAlert, type Alert, type AlertInput } from './alert.js';
import type { AlertingConfig } from './alerting-config.js';
import { migrateAlerting } from './alerting-schema.js';
import type { AlertHistoryEntry } from './alert-store.js';
import { AlertStore } from './alert-store.js';
import { Dispatcher, type GroupView } from './dispatcher.js';
import { Inhibitor } from './inhibitor.js';
import type { Labels } from './labels.js';
import { NotificationLog } from './notification-log.js';
import { NotifyPipeline } from './notify-pipeline.js';
import { Route } from './route.js';
import { viewSilence, type SilenceView } from './silence.js';
import { SilenceStore, type SilenceInput } from './silence-store.js';

export interface AlertingOptions {
  config: AlertingConfig;
  /** Directory of alerting.db (created if missing), e.g. `<dataDir>/alerting`. */
  dir: string;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Base URL for links in notifications (config external_url, else the server's URL). */
  externalUrl: () => string;
  /** Backoff jitter source, uniform in [0, 1). */
  random?: () => number;
  /** How often resolved alerts, expired silences and old log rows are cleaned up. */
  maintenanceIntervalMs?: number;
}

/** Alertmanager's alert status in its API: suppressed when silenced or inhibited. */
export interface AlertStatus {
  state: 'active' | 'suppressed';
  silencedBy: string[];
  inhibitedBy: string[];
}

export interface AlertView {
  fingerprint: string;
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  updatedAt: string;
  receivers: string[];
  status: AlertStatus;
}

export interface ReceiveResult {
  accepted: number;
  /** Alerts refused, by their index in the input. */
  errors: Array<{ index: number; error: string }>;
}

/** What the silence routes use. */
export interface SilenceApi {
  list(): SilenceView[];
  get(id: string): SilenceView;
  /** Creates (or, with `id`, updates) a silence; returns its id. Throws invalid_request / not_found. */
  upsert(input: SilenceInput): string;
  expire(id: string): void;
}

/** What the notification routes use. */
export interface NotificationApi {
  /** Delivery attempts, newest first. */
  list(query: DeliveryLogQuery): DeliveryAttempt[];
  /** Notifications not yet delivered, oldest first. */
  pending(limit: number): PendingNotification[];
}

const DAY = 24 * 3600_000;
/** As Alertmanager's default data retention: expired silences and notification-log entries live 5 days. */
const RETENTION_MS = 5 * DAY;
const DELIVERY_LOG_RETENTION_MS = 7 * DAY;
const HISTORY_RETENTION_MS = 30 * DAY;

/**
 * The notification half of alerting, wired: alert store → routing tree → aggregation groups →
 * inhibition and silences → dedup → durable outbox → notifiers. The rule evaluator calls
 * `receive()`; the HTTP layer uses `silences` and `notifications`. Everything is in one SQLite file,
 * and everything resumes after a restart: alerts, silences, the notification log, pending deliveries.
 */
export class Alerting {
  readonly silences: SilenceApi;
  readonly notifications: NotificationApi;
  private readonly store: AlertStore;
  private readonly silenceStore: SilenceStore;
  private readonly inhibitor: Inhibitor;
  private readonly dispatcher: Dispatcher;
  private readonly outbox: Outbox;
  private readonly integrations: IntegrationSet;
  private readonly deliveryLog: DeliveryLog;
  private readonly notificationLog: NotificationLog;
  private readonly route: Route;
  private maintenance: TimerHandle | null = null;
  private closed = false;

  private constructor(
    private readonly db: SqliteDb,
    private readonly options: AlertingOptions,
  ) {
    const { config, clock, timers, logger } = options;
    this.integrations = new IntegrationSet(config.receivers, { clock, guard: new AddressGuard(config.webhookPolicy) });
    this.deliveryLog = new DeliveryLog(db);
    this.outbox = new Outbox({ db, integrations: this.integrations, log: this.deliveryLog, clock, timers, logger, policy: config.outbox, random: options.random });
    this.store = new AlertStore(db);
    this.silenceStore = new SilenceStore(db, clock);
    this.inhibitor = new Inhibitor(config.inhibitRules);
    this.notificationLog = new NotificationLog(db);
    this.route = new Route(config.route);
    const pipeline = new NotifyPipeline({
      db,
      integrations: this.integrations,
      silences: this.silenceStore,
      inhibitor: this.inhibitor,
      notificationLog: this.notificationLog,
      outbox: this.outbox,
      externalUrl: options.externalUrl,
      logger,
    });
    this.dispatcher = new Dispatcher(this.route, { clock, timers, flush: pipeline.flush });
    this.silences = this.silenceApi();
    this.notifications = { list: (q) => this.deliveryLog.list(q), pending: (limit) => this.outbox.pending(limit) };
  }

  static open(options: AlertingOptions): Alerting {
    fs.mkdirSync(options.dir, { recursive: true });
    const db = openDurableSqlite(path.join(options.dir, 'alerting.db'));
    try {
      migrateAlerting(db);
      migrateOutbox(db);
      const alerting = new Alerting(db, options);
      alerting.start();
      return alerting;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Takes firing and resolved alerts (the evaluator calls this after each evaluation). Invalid alerts
   * are refused one by one, the rest are accepted; the call never waits on a notification.
   */
  receive(inputs: readonly AlertInput[]): ReceiveResult {
    if (this.closed) throw new SluiceError('unavailable', 'alerting is shut down');
    const now = this.options.clock.now();
    const result: ReceiveResult = { accepted: 0, errors: [] };
    const valid: Alert[] = [];
    inputs.forEach((input, index) => {
      const alert = toAlert(input, now, this.options.config.resolveTimeoutMs);
      if (typeof alert === 'string') result.errors.push({ index, error: alert });
      else valid.push(alert);
    });
    // One transaction (one fsync) for the whole batch; routing starts only once it is committed.
    const stored = this.db.transaction(() => valid.map((alert) => this.store.put(alert, now)))();
    for (const alert of stored) this.accept(alert);
    result.accepted = stored.length;
    return result;
  }

  /** The alerts that are not resolved, with their silenced/inhibited status. */
  alerts(): AlertView[] {
    const now = this.options.clock.now();
    return this.store
      .all()
      .filter((a) => !isResolved(a, now))
      .sort((a, b) => a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : 1))
      .map((a) => ({
        fingerprint: a.fingerprint,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: new Date(a.startsAt).toISOString(),
        endsAt: new Date(a.endsAt).toISOString(),
        generatorURL: a.generatorURL,
        updatedAt: new Date(a.updatedAt).toISOString(),
        receivers: [...new Set(this.route.match(a.labels).map((r) => r.options.receiver))],
        status: this.status(a.labels),
      }));
  }

  /** Whether alerts with these labels are silenced or inhibited right now, and by what. */
  status(labels: Labels): AlertStatus {
    const now = this.options.clock.now();
    const silencedBy = this.silenceStore.mutedBy(labels, now);
    const inhibitor = this.inhibitor.inhibitedBy(labels, now);
    const inhibitedBy = inhibitor === null ? [] : [inhibitor];
    return { state: silencedBy.length > 0 || inhibitedBy.length > 0 ? 'suppressed' : 'active', silencedBy, inhibitedBy };
  }

  isSilenced(labels: Labels): boolean {
    return this.silenceStore.mutedBy(labels, this.options.clock.now()).length > 0;
  }

  /** The receivers an alert with these labels is routed to. */
  receiversFor(labels: Labels): string[] {
    return [...new Set(this.route.match(labels).map((r) => r.options.receiver))];
  }

  groups(): GroupView[] {
    return this.dispatcher.list();
  }

  history(limit: number, fingerprint?: string): AlertHistoryEntry[] {
    return this.store.history(limit, fingerprint);
  }

  /** Stops the timers, cancels deliveries in flight (they stay pending) and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.maintenance?.cancel();
    this.dispatcher.stop();
    await this.outbox.close();
    this.integrations.close();
    this.db.close();
  }

  private start(): void {
    const now = this.options.clock.now();
    for (const alert of this.store.restore(now, this.options.config.resolveTimeoutMs)) this.accept(alert);
    this.outbox.wake();
    this.scheduleMaintenance();
  }

  private accept(alert: Alert): void {
    this.inhibitor.observe(alert);
    this.dispatcher.process(alert);
  }

  private scheduleMaintenance(): void {
    this.maintenance = this.options.timers.set(this.options.maintenanceIntervalMs ?? 60_000, () => {
      if (this.closed) return;
      try {
        this.maintain();
      } catch (err) {
        this.options.logger.error('alerting maintenance failed', { err });
      }
      this.scheduleMaintenance();
    });
  }

  private maintain(): void {
    const now = this.options.clock.now();
    this.store.gc(now);
    this.inhibitor.gc(now);
    this.silenceStore.gc(now - RETENTION_MS);
    this.notificationLog.gc(now - RETENTION_MS);
    this.outbox.prune(now - DELIVERY_LOG_RETENTION_MS);
    this.deliveryLog.prune(now - DELIVERY_LOG_RETENTION_MS);
    this.store.pruneHistory(now - HISTORY_RETENTION_MS);
  }

  private silenceApi(): SilenceApi {
    const now = () => this.options.clock.now();
    return {
      list: () => this.silenceStore.list().map((s) => viewSilence(s, now())),
      get: (id) => viewSilence(this.silenceStore.get(id), now()),
      upsert: (input) => this.silenceStore.upsert(input),
      expire: (id) => this.silenceStore.expire(id),
    };
  }
}
