import { describe, expect, it } from 'vitest';
import { createTransport, type FetchLike } from './http-transport';

/** A stand-in for the network: records each request, answers with `status`. */
function network(status: number, body = '{}') {
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetchImpl: FetchLike = async (url, init) => {
    requests.push({ url, init });
    return new Response(status === 204 ? null : body, { status, headers: { 'content-type': 'application/json' } });
  };
  return { requests, fetchImpl };
}

describe('http transport', () => {
  it('sends the CSRF header and same-origin credentials on every request, reads and writes alike', async () => {
    const { requests, fetchImpl } = network(200);
    const t = createTransport('', fetchImpl);
    await t.json('GET', '/api/v1/topics');
    await t.json('POST', '/api/v1/topics', { body: { name: 'x' } });
    await t.text('/metrics');
    expect(requests).toHaveLength(3);
    for (const { init } of requests) {
      expect((init!.headers as Record<string, string>)['x-sluice-request']).toBe('1');
      expect(init!.credentials).toBe('same-origin');
    }
  });

  it('tells its listeners about a 401, and still throws the error to the caller', async () => {
    const { fetchImpl } = network(401, '{"error":{"code":"unauthenticated","message":"log in"}}');
    const t = createTransport('', fetchImpl);
    let told = 0;
    const stop = t.onUnauthenticated(() => told++);
    await expect(t.json('GET', '/api/v1/topics')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(told).toBe(1);
    stop();
    await expect(t.json('GET', '/api/v1/topics')).rejects.toMatchObject({ status: 401 });
    expect(told).toBe(1);
  });

  it('does not call 403 (a missing scope) a logout', async () => {
    const { fetchImpl } = network(403, '{"error":{"code":"forbidden","message":"lacks admin"}}');
    const t = createTransport('', fetchImpl);
    let told = 0;
    t.onUnauthenticated(() => told++);
    await expect(t.json('GET', '/api/v1/tokens')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect(told).toBe(0);
  });
});
