import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../server/clock.js';
import { createLogger, type Logger } from '../server/log/logger.js';
import type { AgentConfig } from './config/agent-config.js';
import { HostMetricsCollector } from './metrics/host-metrics.js';
import { createLineProcessor } from './parsers/line-processor.js';
import type { Batch, ShipEntry } from './pipeline-types.js';
import { Batcher } from './shipper/batcher.js';
import { Delivery } from './shipper/delivery.js';
import { DiskBuffer } from './shipper/disk-buffer.js';
import { HttpSender } from './shipper/http-sender.js';
import { CheckpointStore } from './sources/checkpoint-store.js';
import { FileSource } from './sources/file-source.js';
import { AgentStats } from './status/agent-stats.js';
import { startStatusServer } from './status/status-server.js';

export interface AgentDeps {
  clock?: Clock;
  logger?: Logger;
  /** Source re-scan and rotation timings; tests shorten them. */
  scanIntervalMs?: number;
  rotateWaitMs?: number;
}

export interface RunningAgent {
  stats: AgentStats;
  /** URL of the local status endpoint, or null when it is off. */
  statusUrl: string | null;
  /** Flushes what was read, stops reading, and closes files, buffer and status endpoint. */
  close(): Promise<void>;
}

/** Longest idle wait between polls: bounds how late a partial batch is noticed as due. */
const IDLE_WAIT_MS = 250;

/**
 * The agent, wired: FileSource → line processor → Batcher → Delivery (direct, or disk buffer while
 * the server is away) → checkpoints. The one rule that makes it at-least-once: a file position is
 * committed only after Delivery has the batch that covers it (acknowledged by the server, or fsync'd
 * in the disk buffer). Backpressure is the pull loop itself: when the buffer is full, submit() waits,
 * and nothing is polled meanwhile.
 */
export async function startAgent(config: AgentConfig, deps: AgentDeps = {}): Promise<RunningAgent> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger();
  fs.mkdirSync(config.stateDir, { recursive: true });
  const stats = new AgentStats(clock);
  const checkpoints = CheckpointStore.open(path.join(config.stateDir, 'checkpoints.json'), logger);
  const buffer = DiskBuffer.open(config.bufferDir, { maxBytes: config.buffer.maxBytes, logger: logger.child({ component: 'buffer' }) });
  const sender = new HttpSender({ server: config.server, ...(config.token === undefined ? {} : { token: config.token }), timeoutMs: 15_000, clock });
  const delivery = new Delivery({ sender, buffer, clock, logger: logger.child({ component: 'delivery' }) });
  const source = await FileSource.open({
    sources: config.sources,
    checkpoints,
    clock,
    logger: logger.child({ component: 'source' }),
    ...(deps.scanIntervalMs === undefined ? {} : { scanIntervalMs: deps.scanIntervalMs }),
    ...(deps.rotateWaitMs === undefined ? {} : { rotateWaitMs: deps.rotateWaitMs }),
  });
  const processors = config.sources.map((s) => createLineProcessor(s, config.labels));
  const batcher = new Batcher<ShipEntry>(config.batch, clock);

  const ship = async (batch: Batch | null) => {
    if (batch === null || batch.entries.length === 0) return;
    const before = delivery.stats();
    await delivery.submit('logs', batch.entries);
    const after = delivery.stats();
    checkpoints.commit(batch.positions, clock.now());
    if (after.bufferedBatches > before.bufferedBatches) stats.linesBuffered += batch.entries.length;
    else if (after.droppedEntries === before.droppedEntries) stats.recordShipped(batch.entries.length);
    stats.linesDroppedByPolicy = after.droppedEntries;
    stats.batchesRetried = after.retries;
  };

  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      try {
        const lines = await source.poll(config.batch.maxLines, config.batch.maxBytes);
        for (const line of lines) {
          stats.linesRead++;
          stats.bytesRead += Buffer.byteLength(line.text) + 1;
          const entry = processors[line.source]!(line);
          for (const sealed of batcher.add(entry, { fileKey: line.fileKey, path: line.path, offset: line.endOffset })) await ship(sealed);
        }
        await ship(batcher.takeDue());
        if (lines.length === 0) {
          const dueAt = batcher.dueAt();
          const wait = dueAt === null ? IDLE_WAIT_MS : Math.max(1, Math.min(IDLE_WAIT_MS, dueAt - clock.now()));
          await source.waitForData(wait);
        }
      } catch (err) {
        if (stopping) break;
        stats.recordError(err);
        logger.error('agent loop failed; retrying', { err });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();

  const metricsTimer = config.metrics === undefined ? null : startMetrics(config, delivery, clock, logger, stats);
  const status =
    config.status.listen === 'off'
      ? null
      : await startStatusServer(config.status.listen, () => ({
          ...stats.snapshot(),
          filesFollowed: source.files().length,
          bufferBytes: buffer.sizeBytes,
          files: source.files(),
          delivery: delivery.stats(),
        }));
  logger.info('agent started', { server: config.server, sources: config.sources.length, status: status?.url ?? 'off' });

  return {
    stats,
    statusUrl: status?.url ?? null,
    async close() {
      stopping = true;
      if (metricsTimer) clearInterval(metricsTimer);
      await loop;
      // What was read but not yet sent goes out (or into the buffer) before the files are closed.
      await ship(batcher.flush()).catch((err) => logger.warn('final batch not delivered; it will be read again', { err }));
      await delivery.close();
      await source.close();
      buffer.close();
      await status?.close();
      logger.info('agent stopped', stats.snapshot() as unknown as Record<string, unknown>);
    },
  };
}

function startMetrics(config: AgentConfig, delivery: Delivery, clock: Clock, logger: Logger, stats: AgentStats): NodeJS.Timeout {
  const collector = new HostMetricsCollector({ clock, collect: config.metrics!.collect, logger: logger.child({ component: 'metrics' }) });
  const tick = () => {
    const ts = (BigInt(clock.now()) * 1_000_000n).toString();
    const samples = collector.collect().map((s) => ({ name: s.name, value: s.value, ts, labels: { ...config.labels, ...s.labels } }));
    if (samples.length === 0) return;
    delivery.submit('metrics', samples).catch((err) => stats.recordError(err));
  };
  tick(); // primes the counters, so rates are ready at the next tick
  const timer = setInterval(tick, config.metrics!.intervalSec * 1000);
  timer.unref();
  return timer;
}
