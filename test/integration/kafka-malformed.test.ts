import net from 'node:net';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_SETTINGS } from '../../server/config/server-config.js';
import { http, startTestServer } from '../helpers/server.js';

// Requests are built with kafkajs's own encoders (an independent implementation), then damaged by hand.
const require = createRequire(import.meta.url);
const encodeRequest: (args: { correlationId: number; clientId: string; request: unknown }) => Promise<{ buffer: Buffer }> = require('kafkajs/src/protocol/request');
const apiVersionsV0: () => unknown = require('kafkajs/src/protocol/requests/apiVersions/v0/request');
const produceV3: (args: unknown) => unknown = require('kafkajs/src/protocol/requests/produce/v3/request');
const produceV3Response: { decode(payload: Buffer): Promise<{ topics: Array<{ partitions: Array<{ errorCode: number }> }> }> } = require('kafkajs/src/protocol/requests/produce/v3/response');

const MAX_FRAME = 64 * 1024;

async function startKafkaServer() {
  const server = await startTestServer({ config: { kafka: { ...DEFAULT_KAFKA_SETTINGS, port: 0, maxFrameBytes: MAX_FRAME } } });
  return { ...server, port: server.kafka!.port };
}

/** A raw connection that collects response frames and notices when the server closes it. */
class RawClient {
  readonly frames: Buffer[] = [];
  closed = false;
  private pending = Buffer.alloc(0);
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (data: Buffer) => {
      this.pending = Buffer.concat([this.pending, data]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
        const size = this.pending.readInt32BE(0);
        this.frames.push(this.pending.subarray(4, 4 + size));
        this.pending = this.pending.subarray(4 + size);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The next response frame (correlation id first), or null when the server closed the connection instead. */
  async next(timeoutMs = 5000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed) {
      if (Date.now() > deadline) throw new Error('no response and no close');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames.shift() ?? null;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

const frame = async (correlationId: number, request: unknown) => (await encodeRequest({ correlationId, clientId: 'raw', request })).buffer;

function sized(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

async function expectServing(port: number, url: string): Promise<void> {
  const client = await RawClient.connect(port);
  client.socket.write(await frame(99, apiVersionsV0()));
  const response = await client.next();
  expect(response!.readInt32BE(0)).toBe(99);
  expect(response!.readInt16BE(4)).toBe(0);
  client.socket.destroy();
  expect((await http(url, 'GET', '/healthz')).status).toBe(200);
}

describe('malformed Kafka requests', () => {
  it('a produced batch with a bad CRC gets CORRUPT_MESSAGE and the connection carries on', async () => {
    const { port, url } = await startKafkaServer();
    await http(url, 'POST', '/api/v1/topics', { name: 'strict', partitions: 1 });
    const client = await RawClient.connect(port);
    const request = produceV3({ acks: -1, timeout: 1000, topicData: [{ topic: 'strict', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'a value that will be damaged' }] }] }] });
    const bytes = await frame(7, request);
    bytes[bytes.length - 3]! ^= 0xff; // inside the last record: the batch's CRC no longer matches
    client.socket.write(bytes);
    const response = await client.next();
    expect(response!.readInt32BE(0)).toBe(7);
    const decoded = await produceV3Response.decode(response!.subarray(4));
    expect(decoded.topics[0]!.partitions[0]!.errorCode).toBe(2);
    // Same connection, next request: still answered. Nothing was written.
    client.socket.write(await frame(8, apiVersionsV0()));
    expect((await client.next())!.readInt32BE(0)).toBe(8);
    expect((await http(url, 'GET', '/api/v1/topics/strict')).json.partitions[0].endOffset).toBe(0);
    client.socket.destroy();
  });

  it('an oversize or negative frame length closes the connection at once; the server stays up', async () => {
    const { port, url } = await startKafkaServer();
    for (const size of [MAX_FRAME + 1, 0x7fffffff, -1]) {
      const client = await RawClient.connect(port);
      const header = Buffer.alloc(4);
      header.writeInt32BE(size);
      client.socket.write(header);
      expect(await client.next(), `size ${size}`).toBeNull();
    }
    await expectServing(port, url);
  });

  it('a truncated frame is dropped with its connection; a truncated request body closes it', async () => {
    const { port, url } = await startKafkaServer();
    const partial = await RawClient.connect(port);
    const whole = await frame(1, apiVersionsV0());
    partial.socket.end(whole.subarray(0, whole.length - 3));
    expect(await partial.next()).toBeNull();

    // A whole frame whose Metadata request claims 1000 topics and then ends.
    const truncated = await RawClient.connect(port);
    const body = Buffer.alloc(8 + 2 + 4 + 4);
    body.writeInt16BE(3, 0); // Metadata
    body.writeInt16BE(1, 2);
    body.writeInt32BE(5, 4);
    body.writeInt16BE(0, 8); // client id ""
    body.writeInt32BE(1000, 10); // topics: 1000...
    body.writeInt32BE(0x00050000, 14); // ...but only a fragment of one follows
    truncated.socket.write(sized(body));
    expect(await truncated.next()).toBeNull();
    await expectServing(port, url);
  });

  it('an unknown API key closes the connection; an unknown ApiVersions version gets UNSUPPORTED_VERSION and the ranges', async () => {
    const { port, url } = await startKafkaServer();
    const unknown = await RawClient.connect(port);
    const body = Buffer.alloc(10);
    body.writeInt16BE(999, 0);
    body.writeInt32BE(1, 4);
    body.writeInt16BE(-1, 8);
    unknown.socket.write(sized(body));
    expect(await unknown.next()).toBeNull();

    const future = await RawClient.connect(port);
    const request = Buffer.alloc(10);
    request.writeInt16BE(18, 0); // ApiVersions v99
    request.writeInt16BE(99, 2);
    request.writeInt32BE(42, 4);
    request.writeInt16BE(-1, 8);
    future.socket.write(sized(request));
    const response = (await future.next())!;
    expect(response.readInt32BE(0)).toBe(42);
    expect(response.readInt16BE(4)).toBe(35);
    const keys = response.readInt32BE(6);
    const ranges = new Map(Array.from({ length: keys }, (_, i) => [response.readInt16BE(10 + i * 6), [response.readInt16BE(12 + i * 6), response.readInt16BE(14 + i * 6)]]));
    expect(ranges.get(18)).toEqual([0, 3]);
    expect(ranges.get(0)).toEqual([0, 9]);
    future.socket.destroy();
    await expectServing(port, url);
  });

  it('random bodies for every served API and version are answered or cut off, never crash the server', async () => {
    const { port, url } = await startKafkaServer();
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ranges = [[0, 9], [4, 12], [0, 6], [0, 9], [0, 8], [0, 7], [0, 4], [0, 7], [0, 4], [0, 4], [0, 5], [0, 5], [0, 4], [0, 1], [0, 3], [0, 6], [0, 5], [0, 4], [0, 4], [0, 2]];
    const keys = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 32, 36];
    let answered = 0;
    for (let k = 0; k < keys.length; k++) {
      for (let version = ranges[k]![0]!; version <= ranges[k]![1]!; version++) {
        const client = await RawClient.connect(port);
        const body = Buffer.alloc(10 + Math.floor(random() * 48));
        for (let i = 10; i < body.length; i++) body[i] = Math.floor(random() * 256);
        body.writeInt16BE(keys[k]!, 0);
        body.writeInt16BE(version, 2);
        body.writeInt32BE(1000 + k, 4);
        body.writeInt16BE(-1, 8); // no client id
        client.socket.write(sized(body));
        const response = await client.next();
        if (response !== null) {
          expect(response.readInt32BE(0)).toBe(1000 + k);
          answered++;
        }
        client.socket.destroy();
      }
    }
    expect(answered).toBeGreaterThan(0);
    await expectServing(port, url);
  });
});
