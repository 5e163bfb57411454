import { parseDurationNs } from '../query/logql/duration.js';

/**
 * An Alertmanager duration (`30s`, `5m`, `1h30m`, `0s`) in milliseconds, or null. The same parser as
 * LogQL ranges and rule files, so one duration syntax holds everywhere in Sluice.
 */
export function parseDuration(text: string): number | null {
  const ns = text === '0' ? 0n : parseDurationNs(text);
  return ns === undefined ? null : Number(ns / 1_000_000n);
}
