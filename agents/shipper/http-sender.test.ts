import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { HttpSender, SendError } from './http-sender.js';
import { errorBody, TestReceiver, type Reply } from './test-support/receiver.js';

const entries = [
  { ts: '1700000000000000001', line: 'first line', labels: { app: 'web' } },
  { ts: '1700000000000000002', line: 'second\nline with "quotes"', labels: { app: 'web' }, fields: { status: 500 } },
];

async function failureOf(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SendError);
    return err as SendError;
  }
  throw new Error('expected the send to fail');
}

async function replyingWith(reply: Reply): Promise<TestReceiver> {
  const receiver = await TestReceiver.start();
  receiver.reply = () => reply;
  return receiver;
}

describe('HttpSender', () => {
  it('POSTs gzip-compressed NDJSON with the bearer token to /api/v1/{kind}', async () => {
    const receiver = await TestReceiver.start();
    const sender = new HttpSender({ server: receiver.url + '/', token: 's3cret' });
    await sender.send('logs', entries);
    await sender.send('metrics', [{ name: 'cpu', value: 0.5, ts: '1', labels: {} }]);

    const [logs, metrics] = receiver.requests;
    expect(logs).toMatchObject({ method: 'POST', path: '/api/v1/logs', gzipped: true, entries });
    expect(logs!.headers).toMatchObject({
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      authorization: 'Bearer s3cret',
    });
    expect(metrics).toMatchObject({ path: '/api/v1/metrics', entries: [{ name: 'cpu', value: 0.5 }] });
  });

  it('keeps a path prefix in the server URL and sends no Authorization without a token', async () => {
    const receiver = await TestReceiver.start();
    await new HttpSender({ server: `${receiver.url}/sluice` }).send('logs', entries);
    expect(receiver.requests[0]!.path).toBe('/sluice/api/v1/logs');
    expect(receiver.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('sends nothing for an empty batch', async () => {
    const receiver = await TestReceiver.start();
    await new HttpSender({ server: receiver.url }).send('logs', []);
    expect(receiver.requests).toHaveLength(0);
  });

  it('says why a send failed, status by status', async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const cases: Array<[Reply, Partial<SendError>]> = [
      [{ status: 400, body: errorBody('invalid_request', 'line 3: ts missing') }, { failure: 'rejected', code: 'invalid_request', retriable: false, status: 400 }],
      [{ status: 413, body: errorBody('payload_too_large', 'too big') }, { failure: 'too_large', code: 'payload_too_large', retriable: false }],
      [{ status: 429, headers: { 'retry-after': '3' } }, { failure: 'throttled', retriable: true, retryAfterMs: 3000 }],
      [{ status: 503, headers: { 'retry-after': new Date(clock.now() + 4000).toUTCString() } }, { failure: 'server_error', retryAfterMs: 4000 }],
      [{ status: 500, body: 'oops' }, { failure: 'server_error', code: 'unavailable', retriable: true, retryAfterMs: null }],
      [{ status: 401, body: errorBody('unauthorized', 'bad token') }, { failure: 'misconfigured', code: 'invalid_config', retriable: true }],
      [{ status: 403 }, { failure: 'misconfigured' }],
      [{ status: 404 }, { failure: 'misconfigured' }],
      [{ status: 301, headers: { location: 'https://elsewhere/' } }, { failure: 'misconfigured', status: 301 }],
    ];
    for (const [reply, expected] of cases) {
      const receiver = await replyingWith(reply);
      const err = await failureOf(new HttpSender({ server: receiver.url, clock }).send('logs', entries));
      expect(err, `status ${reply.status}`).toMatchObject(expected);
      expect(err.message).toContain(`→ ${reply.status}`);
    }
    const rejected = await failureOf(new HttpSender({ server: (await replyingWith(cases[0]![0])).url }).send('logs', entries));
    expect(rejected.message).toContain('line 3: ts missing');
  });

  it('reports a refused connection and a timeout as unreachable (retriable, no status)', async () => {
    const receiver = await TestReceiver.start();
    await receiver.stop();
    const refused = await failureOf(new HttpSender({ server: receiver.url }).send('logs', entries));
    expect(refused).toMatchObject({ failure: 'unreachable', retriable: true, status: null });
    expect(refused.message).toContain('ECONNREFUSED');

    const silent = await replyingWith({ status: 200, hang: true });
    const timedOut = await failureOf(new HttpSender({ server: silent.url, timeoutMs: 100 }).send('logs', entries));
    expect(timedOut).toMatchObject({ failure: 'unreachable', retriable: true });
    expect(timedOut.message).toContain('timed out');
  });
});
