import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a Kafka broker that can lose one response on purpose: the first response to
 * a request of `dropApiKey` is never delivered and both connections are cut, as when a network failure
 * hits after the broker wrote the data but before the client heard back. The client then retries.
 */
export class DroppingKafkaProxy {
  target = 0;
  dropped = 0;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly dropApiKey: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(dropApiKey: number): Promise<DroppingKafkaProxy> {
    const proxy = new DroppingKafkaProxy(dropApiKey);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const watched = new Set<number>();
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    frames(client, (frame) => {
      if (frame.readInt16BE(0) === this.dropApiKey) watched.add(frame.readInt32BE(4));
      upstream.write(withSize(frame));
    });
    frames(upstream, (frame) => {
      if (this.dropped === 0 && watched.has(frame.readInt32BE(0))) {
        this.dropped++;
        cut();
        return;
      }
      client.write(withSize(frame));
    });
  }
}

function frames(socket: net.Socket, onFrame: (frame: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (data: Buffer) => {
    pending = Buffer.concat([pending, data]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      onFrame(pending.subarray(4, 4 + size));
      pending = pending.subarray(4 + size);
    }
  });
}

function withSize(frame: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(frame.length);
  return Buffer.concat([size, frame]);
}
