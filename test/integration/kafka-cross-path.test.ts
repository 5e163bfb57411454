import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_SETTINGS } from '../../server/config/server-config.js';
import { kcat } from '../helpers/kcat.js';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/** One store behind both doors: what goes in over Kafka comes out over HTTP, and the other way round. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function startKafkaServer(rulesDir?: string) {
  const server = await startTestServer({ config: { ...(rulesDir === undefined ? {} : { rulesDir }), kafka: { ...DEFAULT_KAFKA_SETTINGS, port: 0 }, index: { enabled: true, dir: null, topics: ['logs'], workers: 0, maxLabelValuesPerDay: 10_000, flushIntervalMs: 100 } } });
  return { ...server, broker: `127.0.0.1:${server.kafka!.port}` };
}

describe('Kafka and HTTP on the same store', () => {
  it('records produced by kafkajs (keys, headers, timestamps) are fetched over HTTP as sent', async () => {
    const { broker, url } = await startKafkaServer();
    await http(url, 'POST', '/api/v1/topics', { name: 'orders', partitions: 1 });
    const kafka = new Kafka({ clientId: 'cross', brokers: [broker], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({
      topic: 'orders',
      messages: [
        { key: 'order-1', value: '{"total":12.5}', headers: { origin: 'shop', trace: 'abc' }, timestamp: '1700000000123' },
        { key: null, value: 'second', timestamp: '1700000000456' },
      ],
    });
    const res = await http(url, 'GET', '/api/v1/topics/orders/partitions/0/records?offset=0');
    expect(res.json.records).toMatchObject([
      { offset: 0, key: 'order-1', value: '{"total":12.5}', headers: [{ key: 'origin', value: 'shop' }, { key: 'trace', value: 'abc' }] },
      { offset: 1, key: null, value: 'second' },
    ]);
    expect(res.json.records.map((r: { timestamp: string | number }) => new Date(r.timestamp).getTime())).toEqual([1700000000123, 1700000000456]);
  });

  it('records produced over HTTP are consumed by kcat with their keys', async () => {
    const { broker, url } = await startKafkaServer();
    await http(url, 'POST', '/api/v1/topics', { name: 'events', partitions: 1 });
    const records = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `via http ${i}` }));
    expect((await http(url, 'POST', '/api/v1/topics/events/records', { records })).status).toBe(200);
    const consumed = await kcat(broker, ['-C', '-t', 'events', '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.toString()).toBe(records.map((r) => `${r.key}=${r.value}\n`).join(''));
  });

  it('lines kcat writes to the logs topic are found by LogQL: plain text with header labels, and JSON log entries', async () => {
    const { broker, url } = await startKafkaServer();
    const plain = 'checkout failed: card declined marker-7f3a\nsession started marker-7f3a\n';
    expect((await kcat(broker, ['-P', '-t', 'logs', '-H', 'app=shop', '-H', 'env=test'], { input: plain })).code).toBe(0);
    expect((await kcat(broker, ['-P', '-t', 'logs'], { input: 'no headers marker-7f3a\n' })).code).toBe(0);
    const entry = { ts: `${Date.now()}000000`, line: 'structured marker-7f3a', labels: { app: 'billing' } };
    expect((await kcat(broker, ['-P', '-t', 'logs'], { input: JSON.stringify(entry) + '\n' })).code).toBe(0);

    const query = async (logql: string) => {
      const end = BigInt(Date.now() + 60_000) * 1_000_000n;
      const res = await http(url, 'GET', `/loki/api/v1/query_range?query=${encodeURIComponent(logql)}&start=${end - 3_600_000_000_000n}&end=${end}&direction=forward`);
      expect(res.status).toBe(200);
      return res.json.data.result.flatMap((s: { values: [string, string][] }) => s.values.map((v) => v[1])).sort();
    };
    expect(await waitFor(async () => (await query('{app="shop"} |= "declined"')).length === 1 && query('{app="shop"} |= "marker-7f3a"'), 15_000)).toEqual([
      'checkout failed: card declined marker-7f3a',
      'session started marker-7f3a',
    ]);
    expect(await query('{source="raw"} |= "marker-7f3a"')).toEqual(['no headers marker-7f3a']);
    expect(await query('{app="billing"}')).toEqual(['structured marker-7f3a']);
  });

  it('plain-text lines kcat writes to the logs topic fire alert rules, with header labels', async () => {
    const rules = tempDir('sluice-rules-');
    fs.writeFileSync(
      path.join(rules, 'kafka.yaml'),
      `groups:
  - name: kafka
    interval: 1s
    rules:
      - alert: ShopRefusals
        expr: sum by (app) (count_over_time({app="shop"} |= "refused" [1m])) > 1
`,
    );
    const { broker, url } = await startKafkaServer(rules);
    await waitFor(async () => (await http(url, 'GET', '/api/v1/rules')).json.groups[0]?.rules[0]?.warming === false, 10_000, 'rules ready');
    const lines = 'connection refused\nconnection refused again\nconnection accepted\n';
    expect((await kcat(broker, ['-P', '-t', 'logs', '-H', 'app=shop'], { input: lines })).code).toBe(0);
    const alerts = await waitFor(async () => {
      const res = await http(url, 'GET', '/api/v1/alerts?state=firing');
      return res.json.alerts.length > 0 ? res.json.alerts : null;
    }, 10_000, 'the alert firing');
    expect(alerts).toMatchObject([{ labels: { alertname: 'ShopRefusals', app: 'shop' }, value: 2 }]);
  });
});
