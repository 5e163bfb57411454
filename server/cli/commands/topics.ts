import type { TopicDescriptionJson, TopicsClient } from '../topics-client.js';
import { intFlag, parseFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const topicsHelp = `Usage: sluice topics <list|create|describe|delete> [NAME] [options]

  sluice topics list
  sluice topics create NAME [--partitions N] [--retention-ms MS] [--retention-bytes B]
  sluice topics describe NAME
  sluice topics delete NAME

Options:
  --server URL   Sluice server (default http://127.0.0.1:7070, or SLUICE_SERVER)
  --token TOKEN  API token (default SLUICE_TOKEN): read to list and describe, admin to change
  --json         print the API's JSON instead of a table`;

export async function runTopics(argv: string[], io: CliIo, client: (server: string | undefined, token?: string) => TopicsClient): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    server: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean' },
    partitions: { type: 'string' },
    'retention-ms': { type: 'string' },
    'retention-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, name, ...extra] = positionals;
  if (values.help || action === undefined) {
    io.out(topicsHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const api = client(values.server, values.token);
  const print = (value: unknown, table: () => string) => io.out(values.json ? JSON.stringify(value, null, 2) + '\n' : table());
  const needName = () => {
    if (name === undefined) throw new UsageError(`sluice topics ${action} needs a topic name`);
    return name;
  };
  switch (action) {
    case 'list': {
      const { topics } = await api.list();
      print({ topics }, () => formatTable(['TOPIC', 'PARTITIONS', 'RETENTION_MS', 'RETENTION_BYTES'], topics.map((t) => [t.name, t.partitions, t.config.retentionMs ?? '-', t.config.retentionBytes ?? '-'])));
      return 0;
    }
    case 'create': {
      const spec: Record<string, unknown> = { name: needName(), partitions: intFlag(values.partitions, 'partitions', 1) ?? 1 };
      const retentionMs = intFlag(values['retention-ms'], 'retention-ms', 1);
      const retentionBytes = intFlag(values['retention-bytes'], 'retention-bytes', 1);
      if (retentionMs !== undefined) spec.retentionMs = retentionMs;
      if (retentionBytes !== undefined) spec.retentionBytes = retentionBytes;
      const created = await api.create(spec);
      print(created, () => `created topic ${created.name} with ${created.partitions} partition(s)\n`);
      return 0;
    }
    case 'describe': {
      const topic = await api.describe(needName());
      print(topic, () => describeText(topic));
      return 0;
    }
    case 'delete': {
      await api.remove(needName());
      if (!values.json) io.out(`deleted topic ${name}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown topics action ${JSON.stringify(action)}; use list, create, describe or delete`);
  }
}

function describeText(topic: TopicDescriptionJson): string {
  const header = `topic ${topic.name}: ${topic.partitionCount} partition(s), retentionMs=${topic.config.retentionMs ?? '-'}, retentionBytes=${topic.config.retentionBytes ?? '-'}\n`;
  return header + formatTable(['PARTITION', 'START', 'END', 'SIZE_BYTES', 'SEGMENTS'], topic.partitions.map((p) => [p.partition, p.startOffset, p.endOffset, p.sizeBytes, p.segments]));
}

export function formatTable(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}
