import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { ManualClock } from '../../clock.js';
import { Ingestor } from '../../ingest/ingestor.js';
import { silentLogger } from '../../log/logger.js';
import { FileTopicStore } from '../../store/index.js';
import { parseLogQL, runLogQuery, type LogExpr } from '../logql/index.js';
import { TailSession, type TailPipeline, type TailSink } from './tail-session.js';

const stores: FileTopicStore[] = [];
const sessions: TailSession[] = [];
afterEach(async () => {
  while (sessions.length > 0) sessions.pop()!.stop();
  while (stores.length > 0) await stores.pop()!.close();
});

async function setUp() {
  const clock = new ManualClock();
  const store = FileTopicStore.open({ dataDir: tempDir(), clock, logger: silentLogger, fsync: { mode: 'never' } });
  stores.push(store);
  const ingestor = new Ingestor(store, clock, { logs: 'logs', metrics: 'metrics', partitions: 2 });
  await ingestor.ensureTopics();
  return { store, ingestor };
}

/** A WebSocket stand-in: records what is sent; `buffered` plays a client that stopped reading. */
function recordingSink() {
  const sent: any[] = [];
  const sink: TailSink & { sent: any[]; buffered: number; checks: number; closed: [number, string] | null } = {
    sent,
    buffered: 0,
    checks: 0,
    closed: null,
    send: (text) => void sent.push(JSON.parse(text)),
    bufferedBytes: () => {
      sink.checks++;
      return sink.buffered;
    },
    close: (code, reason) => void (sink.closed = [code, reason]),
  };
  return sink;
}

function pipelineOf(query: string): TailPipeline {
  const expr = parseLogQL(query) as LogExpr;
  return async (batch, startNs, endNs, signal) => (await runLogQuery(expr, batch, { startNs, endNs, limit: 1e9, direction: 'forward', signal })).result;
}

const linesOf = (messages: any[]) => messages.flatMap((m) => m.streams.flatMap((s: any) => s.values.map((v: string[]) => v[1])));

describe('TailSession', () => {
  it('follows every partition from the given offsets and filters through the pipeline', async () => {
    const { store, ingestor } = await setUp();
    await ingestor.ingestLogs([{ line: 'before', labels: { app: 'a' } }]);
    const from = [await store.resolveOffset('logs', 0, 'latest'), await store.resolveOffset('logs', 1, 'latest')];
    const sink = recordingSink();
    const session = new TailSession({ store, topic: 'logs', pipeline: pipelineOf('{app=~"a|b"} |= "keep"'), sink, delayForS: 0 });
    sessions.push(session);
    session.start([], from);
    await ingestor.ingestLogs([
      { line: 'keep a', labels: { app: 'a' } },
      { line: 'drop a', labels: { app: 'a' } },
      { line: 'keep b', labels: { app: 'b' } },
      { line: 'keep c', labels: { app: 'c' } },
    ]);
    await waitFor(() => linesOf(sink.sent).length === 2, 5000, 'two lines');
    expect(linesOf(sink.sent).sort()).toEqual(['keep a', 'keep b']);
    expect(sink.sent.every((m) => m.dropped_entries === null)).toBe(true);
  });

  it('drops lines for a client that stopped reading and reports them with the next message', async () => {
    const { store, ingestor } = await setUp();
    const sink = recordingSink();
    const session = new TailSession({ store, topic: 'logs', pipeline: pipelineOf('{app="a"}'), sink, delayForS: 0, maxBufferedBytes: 100 });
    sessions.push(session);
    session.start([], [0, 0]);
    sink.buffered = 1000;
    await ingestor.ingestLogs([
      { line: 'lost', labels: { app: 'a' }, ts: '1700000000000000000' },
      { line: 'lost too', labels: { app: 'a' }, ts: '1700000001000000000' },
    ]);
    // The session looks at the client's backlog once per batch that has lines to send.
    await waitFor(() => sink.checks >= 1, 5000, 'the batch processed');
    expect(sink.sent).toEqual([]);
    sink.buffered = 0;
    await ingestor.ingestLogs([{ line: 'seen', labels: { app: 'a' } }]);
    await waitFor(() => sink.sent.length === 1, 5000, 'a message');
    expect(linesOf(sink.sent)).toEqual(['seen']);
    expect(sink.sent[0].dropped_entries).toEqual([
      { labels: { app: 'a' }, timestamp: '1700000000000000000' },
      { labels: { app: 'a' }, timestamp: '1700000001000000000' },
    ]);
  });

  it('closes the socket with 1001 at shutdown and stops following', async () => {
    const { store } = await setUp();
    const sink = recordingSink();
    const session = new TailSession({ store, topic: 'logs', pipeline: pipelineOf('{app="a"}'), sink, delayForS: 0 });
    session.start([], [0, 0]);
    session.shutdown();
    expect(sink.closed).toEqual([1001, 'server shutting down']);
    expect(session.signal.aborted).toBe(true);
  });
});
