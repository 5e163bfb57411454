import { afterEach, describe, expect, it } from 'vitest';
import { SluiceError } from './errors.js';
import { WorkerCalls } from './worker-calls.js';

const WORKER = new URL('../test/fixtures/worker-calls-worker.mjs', import.meta.url);

let calls: WorkerCalls<unknown> | null = null;
afterEach(async () => {
  await calls?.close('test over');
  calls = null;
});

describe('WorkerCalls', () => {
  it('matches replies to calls by id, and passes a SluiceError or a message back as the rejection', async () => {
    const deaths: Error[] = [];
    calls = new WorkerCalls<unknown>(WORKER, 'test-worker', (err) => deaths.push(err));
    const answers = await Promise.all([1, 2, 3].map((value) => calls!.call({ op: 'echo', value })));
    expect(answers).toEqual([1, 2, 3]);
    const refused = await calls.call({ op: 'refuse', value: 'x' }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SluiceError);
    expect(refused).toMatchObject({ code: 'invalid_request', message: 'refused x' });
    const thrown = await calls.call({ op: 'throw', value: 'y' }).catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('threw y');
    expect(calls.inFlight).toBe(0);
    expect(calls.alive).toBe(true);
    expect(deaths).toEqual([]);
  });

  it('when the thread dies, rejects every call in flight as unavailable, reports the death once and refuses new calls', async () => {
    const deaths: Error[] = [];
    calls = new WorkerCalls<unknown>(WORKER, 'test-worker', (err) => deaths.push(err));
    const hanging = [calls.call({ op: 'hang' }), calls.call({ op: 'hang' })].map((p) => p.catch((err: unknown) => err));
    expect(calls.inFlight).toBe(2);
    void calls.call({ op: 'exit' }).catch(() => {});
    for (const err of await Promise.all(hanging)) {
      expect(err).toBeInstanceOf(SluiceError);
      expect(err).toMatchObject({ code: 'unavailable', retriable: true });
    }
    expect(calls.alive).toBe(false);
    expect(calls.inFlight).toBe(0);
    expect(deaths).toHaveLength(1);
    expect(deaths[0]!.message).toMatch(/exited with code 3/);
    await expect(calls.call({ op: 'echo', value: 1 })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('close() rejects what is in flight and is not a death', async () => {
    const deaths: Error[] = [];
    calls = new WorkerCalls<unknown>(WORKER, 'test-worker', (err) => deaths.push(err));
    const hanging = calls.call({ op: 'hang' }).catch((err: unknown) => err);
    await calls.close('closing');
    expect(await hanging).toMatchObject({ code: 'unavailable', message: 'closing' });
    expect(calls.alive).toBe(false);
    expect(deaths).toEqual([]);
  });
});
