import { intFlag, parseFlags } from '../args.js';
import type { CliIo } from '../io.js';
import type { FetchedRecordJson, TopicsClient } from '../topics-client.js';
import { UsageError } from '../usage-error.js';

export const consumeHelp = `Usage: sluice consume TOPIC [options]

Prints one record value per line to standard output.

Options:
  --from-beginning        start at the earliest offset (default: only new records)
  --follow, -f            keep waiting for new records instead of exiting at the end
  --partition P --offset O read one partition from offset O
  --group G               consume as a member of consumer group G, committing as it goes
  --max N                 exit after N records
  --server URL            Sluice server (default http://127.0.0.1:7070, or SLUICE_SERVER)
  --token TOKEN           API token with the read scope (default SLUICE_TOKEN)`;

const POLL_MS = 1000;

export async function runConsume(argv: string[], io: CliIo, client: (server: string | undefined, token?: string) => TopicsClient): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    server: { type: 'string' },
    token: { type: 'string' },
    group: { type: 'string' },
    'from-beginning': { type: 'boolean' },
    follow: { type: 'boolean', short: 'f' },
    partition: { type: 'string' },
    offset: { type: 'string' },
    max: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(consumeHelp + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('sluice consume needs exactly one topic');
  const topic = positionals[0]!;
  const partition = intFlag(values.partition, 'partition');
  const offset = intFlag(values.offset, 'offset');
  if ((offset === undefined) !== (partition === undefined)) throw new UsageError('--partition and --offset go together');
  if (values.group !== undefined && partition !== undefined) throw new UsageError('--group cannot be combined with --partition/--offset');
  const api = client(values.server, values.token);
  const follow = values.follow ?? false;
  const budget = { left: intFlag(values.max, 'max', 1) ?? Infinity };
  const print = (records: FetchedRecordJson[]) => {
    const take = records.slice(0, Math.min(records.length, budget.left));
    budget.left -= take.length;
    if (take.length > 0) io.out(take.map((r) => (r.value ?? '') + '\n').join(''));
  };

  if (values.group !== undefined) {
    await consumeAsGroup(api, values.group, topic, values['from-beginning'] ? 'earliest' : 'latest', follow, budget, print);
    return 0;
  }
  const starts =
    partition !== undefined
      ? [{ partition, offset: offset! }]
      : (await api.endOffsets(topic, values['from-beginning'] ? 'earliest' : 'latest')).offsets;
  const ends = new Map((await api.endOffsets(topic, 'latest')).offsets.map((o) => [o.partition, o.offset]));
  await Promise.all(
    starts.map(async ({ partition: p, offset: start }) => {
      let next = start;
      while (budget.left > 0) {
        if (!follow && next >= (ends.get(p) ?? 0)) return;
        const page = await api.fetch(topic, p, next, follow ? POLL_MS : 0);
        print(page.records);
        next = page.nextOffset;
      }
    }),
  );
  return 0;
}

async function consumeAsGroup(
  api: TopicsClient,
  group: string,
  topic: string,
  reset: 'earliest' | 'latest',
  follow: boolean,
  budget: { left: number },
  print: (records: FetchedRecordJson[]) => void,
): Promise<void> {
  const member = await api.join(group, [topic], reset);
  try {
    while (budget.left > 0) {
      const page = await api.fetchForMember(group, member.memberId, follow ? POLL_MS : 200);
      if (page.records.length === 0) {
        if (!follow) return;
        continue;
      }
      const records = page.records.slice(0, budget.left);
      print(records);
      // Commit the next offset of each partition, only what was printed.
      const next = new Map<string, { topic: string; partition: number; offset: number }>();
      for (const r of records) next.set(`${r.topic}/${r.partition}`, { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
      await api.commit(group, member.memberId, page.generation, [...next.values()]);
    }
  } finally {
    await api.leave(group, member.memberId).catch(() => {});
  }
}
