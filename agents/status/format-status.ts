import { formatTable } from '../../server/cli/commands/topics.js';
import type { AgentStatusSnapshot } from './status-snapshot.js';

/**
 * The status as `sluice agent status` prints it:
 *
 *   Sluice agent up 2h 3m (since 2023-11-14T22:13:20.000Z)
 *   STATUS                   VALUE
 *   lines read               120345
 *   …
 *   last ship                2023-11-14T23:13:15.000Z (5s ago)
 *   last error               never
 *
 * `now` is the CLI's clock; the agent runs on the same host, so "ago" is meaningful.
 */
export function formatAgentStatus(status: AgentStatusSnapshot, now: number): string {
  const rows: Array<[string, string | number]> = [
    ['lines read', status.linesRead],
    ['lines shipped', status.linesShipped],
    ['lines buffered on disk', status.linesBuffered],
    ['lines dropped by policy', status.linesDroppedByPolicy],
    ['batches retried', status.batchesRetried],
    ['bytes read', formatBytes(status.bytesRead)],
    ['files followed', status.filesFollowed],
    ['disk buffer size', formatBytes(status.bufferBytes)],
    ['last ship', status.lastShipAt === null ? 'never' : moment(status.lastShipAt, now)],
    // One line per row: a multi-line error (a stack, a response body) would break the table.
    ['last error', status.lastError === null ? 'none' : `${moment(status.lastError.at, now)}: ${status.lastError.message.replace(/\s+/g, ' ')}`],
  ];
  const header = `Sluice agent up ${formatDuration(now - status.startedAt)} (since ${new Date(status.startedAt).toISOString()})\n`;
  return header + formatTable(['STATUS', 'VALUE'], rows);
}

function moment(at: number, now: number): string {
  return `${new Date(at).toISOString()} (${formatDuration(now - at)} ago)`;
}

/** The two largest units: "3d 4h", "2h 3m", "5m 0s", "42s". */
export function formatDuration(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const parts: Array<[number, string]> = [];
  for (const [size, unit] of [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ] as const) {
    parts.push([Math.floor(seconds / size), unit]);
    seconds %= size;
  }
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  return parts
    .slice(first, first + 2)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

/** Exact bytes, with a binary-unit reading beside them once they reach a KiB. */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit < 0 ? `${bytes} B` : `${bytes} B (${value.toFixed(1)} ${units[unit]})`;
}
