import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { SluiceError } from '../../server/errors.js';
import { AgentStats } from './agent-stats.js';
import { formatAgentStatus } from './format-status.js';
import { parseListenAddress, statusUrlForListen } from './listen-address.js';
import { fetchAgentStatus } from './status-client.js';
import { startStatusServer, type StatusServer } from './status-server.js';

const started: StatusServer[] = [];
afterEach(async () => {
  while (started.length > 0) await started.pop()!.close();
});

async function start(listen: string, snapshot: Parameters<typeof startStatusServer>[1]): Promise<StatusServer> {
  const server = await startStatusServer(listen, snapshot);
  started.push(server);
  return server;
}

/** An agent's stats after a little work: 3 files, one retried batch, one error. */
function busyStats(clock: ManualClock): AgentStats {
  const stats = new AgentStats(clock);
  clock.advance(60_000);
  stats.linesRead += 1500;
  stats.bytesRead += 3 * 1024 * 1024;
  stats.filesFollowed = 3;
  stats.batchesRetried += 1;
  stats.recordError(new Error('POST http://127.0.0.1:7070/api/v1/logs: connect ECONNREFUSED 127.0.0.1:7070'));
  clock.advance(5_000);
  stats.recordShipped(1200);
  stats.linesBuffered += 300;
  stats.bufferBytes = 45_000;
  return stats;
}

describe('status server', () => {
  it('serves the snapshot as JSON on an ephemeral port, read back by fetchAgentStatus', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const stats = busyStats(clock);
    const server = await start('127.0.0.1:0', () => ({ ...stats.snapshot(), version: '0.1.0' }));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toBe('http://127.0.0.1:0');

    expect(await fetchAgentStatus(server.url)).toEqual({
      startedAt: 1_700_000_000_000,
      linesRead: 1500,
      linesShipped: 1200,
      linesBuffered: 300,
      batchesRetried: 1,
      linesDroppedByPolicy: 0,
      bytesRead: 3_145_728,
      filesFollowed: 3,
      bufferBytes: 45_000,
      lastShipAt: 1_700_000_065_000,
      lastError: { message: 'POST http://127.0.0.1:7070/api/v1/logs: connect ECONNREFUSED 127.0.0.1:7070', at: 1_700_000_060_000 },
      version: '0.1.0',
    });
  });

  it('reads the counters afresh on every request', async () => {
    const stats = new AgentStats(new ManualClock());
    const server = await start('127.0.0.1:0', () => stats.snapshot());
    expect((await fetchAgentStatus(server.url)).linesRead).toBe(0);
    stats.linesRead += 7;
    expect((await fetchAgentStatus(server.url)).linesRead).toBe(7);
  });

  it('serves the same counters as Prometheus text', async () => {
    const stats = busyStats(new ManualClock(1_700_000_000_000));
    const server = await start('127.0.0.1:0', () => stats.snapshot());
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const samples = (await response.text()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.sort()).toEqual(
      [
        'sluice_agent_lines_read_total 1500',
        'sluice_agent_lines_shipped_total 1200',
        'sluice_agent_lines_buffered_total 300',
        'sluice_agent_batches_retried_total 1',
        'sluice_agent_lines_dropped_by_policy_total 0',
        'sluice_agent_read_bytes_total 3145728',
        'sluice_agent_files_followed 3',
        'sluice_agent_buffer_bytes 45000',
        'sluice_agent_start_time_seconds 1700000000',
        'sluice_agent_last_ship_timestamp_seconds 1700000065',
        'sluice_agent_last_error_timestamp_seconds 1700000060',
      ].sort(),
    );
  });

  it('declares counter and gauge types, and reads 0 for a ship that never happened', async () => {
    const stats = new AgentStats(new ManualClock());
    const server = await start('127.0.0.1:0', () => stats.snapshot());
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('# TYPE sluice_agent_lines_shipped_total counter');
    expect(text).toContain('# TYPE sluice_agent_buffer_bytes gauge');
    expect(text).toContain('\nsluice_agent_last_ship_timestamp_seconds 0\n');
  });

  it('answers other paths with a JSON 404', async () => {
    const server = await start('127.0.0.1:0', () => new AgentStats().snapshot());
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /healthz; try GET /status or GET /metrics' } });
  });

  it('stops listening on close, and fetchAgentStatus then says no agent answers', async () => {
    const server = await startStatusServer('127.0.0.1:0', () => new AgentStats().snapshot());
    await fetchAgentStatus(server.url);
    await server.close();
    await server.close();
    const err = await fetchAgentStatus(server.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).code).toBe('unavailable');
    expect((err as SluiceError).message).toContain(`cannot reach ${server.url}`);
  });

  it('rejects when the port is taken', async () => {
    const first = await start('127.0.0.1:0', () => new AgentStats().snapshot());
    const port = new URL(first.url).port;
    await expect(startStatusServer(`127.0.0.1:${port}`, () => new AgentStats().snapshot())).rejects.toThrow(/EADDRINUSE/);
  });

  it('fetchAgentStatus refuses an answer that is not an agent status', async () => {
    const server = await start('127.0.0.1:0', () => ({ linesRead: 'many' }) as never);
    await expect(fetchAgentStatus(server.url)).rejects.toThrow(`${server.url}/status did not answer with an agent status (startedAt: `);
  });
});

describe('listen addresses', () => {
  it.each([
    ['127.0.0.1:7079', { host: '127.0.0.1', port: 7079 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['localhost:7079', { host: 'localhost', port: 7079 }],
    ['[::1]:7079', { host: '::1', port: 7079 }],
  ])('reads %s', (listen, address) => {
    expect(parseListenAddress(listen)).toEqual(address);
  });

  it.each(['7079', ':7079', 'http://127.0.0.1:7079', '127.0.0.1:70790', '::1:7079', 'off'])('refuses %s', (listen) => {
    expect(() => parseListenAddress(listen)).toThrow(`status listen address ${JSON.stringify(listen)} must be host:port`);
  });

  it('reaches an agent bound to every address over loopback', () => {
    expect(statusUrlForListen('0.0.0.0:7079')).toBe('http://127.0.0.1:7079');
    expect(statusUrlForListen('[::]:7079')).toBe('http://[::1]:7079');
    expect(statusUrlForListen('10.0.0.5:7079')).toBe('http://10.0.0.5:7079');
  });
});

describe('formatAgentStatus', () => {
  it('prints a table with sizes, times and how long ago', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const stats = busyStats(clock);
    stats.recordError(new Error('HTTP 503 from server:\n{"error":{"code":"unavailable"}}'));
    const now = 1_700_000_000_000 + 2 * 3600_000 + 3 * 60_000 + 4_000;
    expect(formatAgentStatus(stats.snapshot(), now)).toBe(
      [
        'Sluice agent up 2h 3m (since 2023-11-14T22:13:20.000Z)',
        'STATUS                   VALUE',
        'lines read               1500',
        'lines shipped            1200',
        'lines buffered on disk   300',
        'lines dropped by policy  0',
        'batches retried          1',
        'bytes read               3145728 B (3.0 MiB)',
        'files followed           3',
        'disk buffer size         45000 B (43.9 KiB)',
        'last ship                2023-11-14T22:14:25.000Z (2h 1m ago)',
        'last error               2023-11-14T22:14:25.000Z (2h 1m ago): HTTP 503 from server: {"error":{"code":"unavailable"}}',
        '',
      ].join('\n'),
    );
  });

  it('says never and none for a fresh agent', () => {
    const text = formatAgentStatus(new AgentStats(new ManualClock(1_700_000_000_000)).snapshot(), 1_700_000_042_000);
    expect(text.split('\n')[0]).toBe('Sluice agent up 42s (since 2023-11-14T22:13:20.000Z)');
    expect(text).toContain('last ship                never\n');
    expect(text).toContain('last error               none\n');
    expect(text).toContain('bytes read               0 B\n');
  });
});
