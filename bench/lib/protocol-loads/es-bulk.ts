import { Client } from '@elastic/elasticsearch';
import { packageVersion, type ProtocolLoad } from './protocol-load.js';

/** The official Elasticsearch client's bulk helper (its `concurrency` requests in flight), ECS documents into one index. */
export const esBulkLoad: ProtocolLoad = {
  name: 'es-bulk',
  client: `${packageVersion('@elastic/elasticsearch')}: helpers.bulk, create actions`,
  async send({ url, lines, batchLines, concurrency }) {
    const client = new Client({ node: url, maxRetries: 0, requestTimeout: 60_000 });
    try {
      const stats = await client.helpers.bulk({
        datasource: lines.map((line) => ({ '@timestamp': line.tsMs, message: line.text, log: { level: line.level }, service: { name: 'bench' } })),
        onDocument: () => ({ create: { _index: 'bench' } }),
        // A document is ~300 bytes of NDJSON with its action line: flush at about batchLines documents.
        flushBytes: batchLines * 300,
        concurrency,
        retries: 0,
      });
      if (stats.failed > 0 || stats.successful !== lines.length) throw new Error(`bulk helper: ${JSON.stringify(stats)}`);
    } finally {
      await client.close();
    }
  },
};
