import { it } from 'vitest';
import { DEFAULT_KAFKA_SETTINGS } from '../../server/config/server-config.js';
import { kcat } from '../helpers/kcat.js';
import { http, startTestServer } from '../helpers/server.js';
it('debug', async () => {
  const server = await startTestServer({ config: { kafka: { ...DEFAULT_KAFKA_SETTINGS, port: 0 } } });
  const broker = `127.0.0.1:${server.kafka!.port}`;
  await http(server.url, 'POST', '/api/v1/topics', { name: 'packed', partitions: 1 });
  const input = Array.from({ length: 300 }, (_, i) => `line ${i} aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`).join('\n') + '\n';
  const r = await kcat(broker, ['-P', '-t', 'packed', '-p', '0', '-z', 'gzip', '-X', 'linger.ms=300', '-d', 'msg,protocol,feature,broker'], { input });
  console.log(r.stderr.split('\n').filter((l) => /compress|feature|Feature|ApiVersion|Produce|codec|MsgVer/i.test(l)).slice(0, 80).join('\n'));
});
