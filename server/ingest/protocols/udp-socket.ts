import dgram from 'node:dgram';

/** A bigger socket buffer rides out bursts while a write is in flight (the kernel may cap it lower). */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** A UDP socket bound to host:port (IPv6 when the host is an IPv6 address), with a large receive buffer. */
export async function bindUdpSocket(host: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  } catch {
    // Capped by net.core.rmem_max: the default buffer still works.
  }
  return socket;
}
