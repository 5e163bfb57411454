import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../server/clock.js';
import { createLogger, type Logger } from '../server/log/logger.js';
import type { AgentConfig } from './config/agent-config.js';
import { HostMetricsCollector } from './metrics/host-metrics.js';
import { createLineEncoder } from './parsers/line-encoder.js';
import type { RawLine } from './pipeline-types.js';
import { Batcher, type SealedBatch } from './shipper/batcher.js';
import { Delivery } from './shipper/delivery.js';
import { DiskBuffer } from './shipper/disk-buffer.js';
import { HttpSender } from './shipper/http-sender.js';
import { NdjsonCollector, type NdjsonBatch } from './shipper/ndjson-batch.js';
import { ShipQueue } from './shipper/ship-queue.js';
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
 * Lines taken from the files per poll. The lines in hand stay alive until the batch has them; a few
 * hundred at a time die young (cheap for the GC), where a whole batch's worth would be copied by
 * every minor GC that runs meanwhile and end up in the old generation.
 */
const POLL_MAX_LINES = 500;
/**
 * Sealed batches that may wait for (or be in) delivery while the loop reads on: one being shipped,
 * one compressed and ready behind it. More would only hold memory; the server takes one at a time.
 */
const BATCHES_AHEAD = 2;

/**
 * The agent, wired: FileSource → line encoder → Batcher → ShipQueue → Delivery (direct, or disk
 * buffer while the server is away) → checkpoints. The one rule that makes it at-least-once: a file
 * position is committed only after Delivery has the batch that covers it (acknowledged by the server,
 * or fsync'd in the disk buffer), and batches are shipped and committed strictly in order, one at a
 * time, so the checkpoint on disk is never more than one batch behind what the server has.
 * The loop reads and encodes the next batches meanwhile (ShipQueue). Backpressure: when the buffer
 * is full, submit() waits, the queue fills, push() waits, and nothing is polled meanwhile.
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
  const encoders = config.sources.map((s) => createLineEncoder(s, config.labels));
  const collector = new NdjsonCollector<RawLine>((line, into, offset) => encoders[line.source]!.write(line, into, offset));
  const batcher = new Batcher<RawLine, NdjsonBatch>(config.batch, clock, (line) => encoders[line.source]!.size(line), collector);

  // Set once a batch could not be handed to Delivery (it was closing): no later batch may be
  // checkpointed, or the checkpoint would pass over that batch's lines. They are read again at restart.
  let refused = false;
  const ship = async ({ entries: body, positions }: SealedBatch<NdjsonBatch>) => {
    if (refused) return;
    const before = delivery.stats();
    try {
      await delivery.submit('logs', body);
    } catch (err) {
      refused = true;
      stats.recordError(err);
      logger.warn('batch not delivered; it will be read again at the next start', { err, lines: body.count });
      return;
    }
    const after = delivery.stats();
    if (after.bufferedBatches > before.bufferedBatches) stats.linesBuffered += body.count;
    else if (after.droppedEntries === before.droppedEntries) stats.recordShipped(body.count);
    stats.linesDroppedByPolicy = after.droppedEntries;
    stats.batchesRetried = after.retries;
    await collector.recycle(body); // Delivery is done with it: sent, buffered (its gzip bytes) or dropped
    try {
      await checkpoints.commitAsync(positions, clock.now());
    } catch (err) {
      // Delivered, not checkpointed: a restart now sends it again; the next commit covers it anyway.
      stats.recordError(err);
      logger.error('cannot write checkpoints; will retry with the next batch', { err });
    }
  };
  const queue = new ShipQueue<SealedBatch<NdjsonBatch>>(ship, BATCHES_AHEAD);
  const enqueue = async (batch: SealedBatch<NdjsonBatch> | null) => {
    if (batch === null || batch.count === 0) return;
    // Start compressing now, on zlib's threads, while the batch ahead of it is being shipped.
    batch.entries.gzip().catch(() => {}); // a failure surfaces where the body is sent
    await queue.push(batch);
  };

  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      try {
        const lines = await source.poll(Math.min(config.batch.maxLines, POLL_MAX_LINES), config.batch.maxBytes);
        for (const line of lines) {
          stats.linesRead++;
          stats.bytesRead += Buffer.byteLength(line.text) + 1;
          for (const sealed of batcher.add(line, { fileKey: line.fileKey, path: line.path, offset: line.endOffset })) await enqueue(sealed);
        }
        await enqueue(batcher.takeDue());
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
      await enqueue(batcher.flush());
      await queue.idle();
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
