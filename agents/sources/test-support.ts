/**
 * Helpers for the FileSource tests beside this file: a SourceConfig with the schema's defaults, and an
 * "agent" loop that polls and commits what it read (as the agent does once the server acked).
 */
import path from 'node:path';
import { ManualClock, type Clock } from '../../server/clock.js';
import { silentLogger, type Logger } from '../../server/log/logger.js';
import type { SourceConfig } from '../config/agent-config.js';
import type { FilePosition, RawLine } from '../pipeline-types.js';
import { CheckpointStore } from './checkpoint-store.js';
import { FileSource, type FileSourceOptions } from './file-source.js';

export function sourceConfig(pathGlob: string | string[], extra: Partial<SourceConfig> = {}): SourceConfig {
  return { path: pathGlob, exclude: [], labels: {}, startAt: 'beginning', parser: 'none', timestampFormat: 'auto', ...extra };
}

export interface Harness {
  source: FileSource;
  checkpoints: CheckpointStore;
  clock: Clock;
}

export async function openHarness(
  stateDir: string,
  sources: SourceConfig[],
  options: Partial<Omit<FileSourceOptions, 'sources' | 'checkpoints'>> & { checkpoints?: CheckpointStore; logger?: Logger } = {},
): Promise<Harness> {
  const checkpoints = options.checkpoints ?? CheckpointStore.open(path.join(stateDir, 'checkpoints.json'));
  const clock = options.clock ?? new ManualClock();
  const source = await FileSource.open({ scanIntervalMs: 20, ...options, sources, checkpoints, clock, logger: options.logger ?? silentLogger });
  return { source, checkpoints, clock };
}

/** The furthest endOffset per file in `lines`: what the agent commits once they are acked. */
export function positionsOf(lines: RawLine[]): FilePosition[] {
  const byKey = new Map<string, FilePosition>();
  for (const line of lines) byKey.set(line.fileKey, { fileKey: line.fileKey, path: line.path, offset: line.endOffset });
  return [...byKey.values()];
}

/**
 * Polls (committing each batch, as an agent whose server acks everything) until `done(all lines so far)`
 * holds, waiting on waitForData in between. Fails after timeoutMs.
 */
export interface ReadOptions {
  timeoutMs?: number;
  /** Commit each batch's positions (default true), as the agent does once the server acked. */
  commit?: boolean;
  maxLines?: number;
}

export async function readUntil(harness: Harness, done: (lines: RawLine[]) => boolean, options: ReadOptions = {}): Promise<RawLine[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const lines: RawLine[] = [];
  while (!done(lines)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${lines.length} lines; last: ${JSON.stringify(lines.slice(-3).map((l) => l.text))}`);
    const batch = await harness.source.poll(options.maxLines ?? 1000, 1024 * 1024);
    if (batch.length > 0) {
      lines.push(...batch);
      if (options.commit !== false) harness.checkpoints.commit(positionsOf(batch), harness.clock.now());
    } else {
      await harness.source.waitForData(20);
    }
  }
  return lines;
}

/** Polls until `count` lines came. */
export function readLines(harness: Harness, count: number, options: ReadOptions = {}): Promise<RawLine[]> {
  return readUntil(harness, (lines) => lines.length >= count, options);
}

export function texts(lines: RawLine[]): string[] {
  return lines.map((l) => l.text);
}

/** `prefix 0`, `prefix 1`, … each with a newline. */
export function numbered(prefix: string, from: number, count: number, pad = ''): string {
  let out = '';
  for (let i = from; i < from + count; i++) out += `${prefix} ${i}${pad}\n`;
  return out;
}

export function range(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${from + i}`);
}
