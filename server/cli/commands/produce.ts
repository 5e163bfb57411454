import { intFlag, parseFlags } from '../args.js';
import type { CliIo } from '../io.js';
import type { TopicsClient } from '../topics-client.js';
import { UsageError } from '../usage-error.js';

export const produceHelp = `Usage: sluice produce TOPIC [--key K] [--partition P] [--server URL] [--token TOKEN]

Reads standard input and produces one record per line (the line is the value), in order.
Lines are sent in batches; the command exits 0 once the server has acknowledged every line.
The token (--token, default SLUICE_TOKEN) needs the ingest scope when the server asks for one.`;

const BATCH_LINES = 1000;
const BATCH_BYTES = 1024 * 1024;

export async function runProduce(argv: string[], io: CliIo, client: (server: string | undefined, token?: string) => TopicsClient): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    server: { type: 'string' },
    token: { type: 'string' },
    key: { type: 'string' },
    partition: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(produceHelp + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('sluice produce needs exactly one topic');
  const topic = positionals[0]!;
  const partition = intFlag(values.partition, 'partition');
  const api = client(values.server, values.token);

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let produced = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const body = Buffer.concat(pending.flatMap((line) => [line, NEWLINE]));
    const { offsets } = await api.produceLines(topic, body, values.key, partition);
    produced += offsets.length;
    pending = [];
    pendingBytes = 0;
  };
  for await (const line of lines(io.stdin)) {
    if (line.length === 0) continue;
    pending.push(line);
    pendingBytes += line.length + 1;
    if (pending.length >= BATCH_LINES || pendingBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  io.err(`produced ${produced} record(s) to ${topic}\n`);
  return 0;
}

const NEWLINE = Buffer.from('\n');

/** Splits a byte stream into lines (without the newline or a trailing CR). */
async function* lines(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  for await (const chunk of input) {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      yield trimCr(data.subarray(start, nl));
      start = nl + 1;
    }
    rest = Buffer.from(data.subarray(start));
    data = rest;
  }
  if (rest.length > 0) yield trimCr(rest);
}

function trimCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
}
