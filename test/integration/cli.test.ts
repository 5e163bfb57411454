import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../server/store/partitioner/index.js';
import { http, startTestServer } from '../helpers/server.js';
import { CLI_BIN, startServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without SLUICE_* variables, so the machine's settings cannot leak into a test. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLUICE_')));
  return { ...env, ...extra };
}

/** Runs the compiled CLI to completion (asynchronously: the server under test lives in this process). */
function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sluice ${args.join(' ')} did not exit in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A long-running CLI process (consume --follow): its output so far, and a way to stop it. */
function startCli(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  started.push(handle);
  return handle;
}
const started: Array<{ stop: () => Promise<void> }> = [];
afterEach(async () => {
  while (started.length > 0) await started.pop()!.stop();
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

async function createTopic(base: string, name: string, partitions: number): Promise<void> {
  const res = await http(base, 'POST', '/api/v1/topics', { name, partitions });
  expect(res.status, res.text).toBe(201);
}

async function produce(base: string, topic: string, records: unknown[]): Promise<void> {
  const res = await http(base, 'POST', `/api/v1/topics/${topic}/records`, { records });
  expect(res.status, res.text).toBe(200);
}

/** Every value of one partition, in offset order, read over HTTP. */
async function partitionValues(base: string, topic: string, partition: number): Promise<string[]> {
  const out: string[] = [];
  let offset = 0;
  for (;;) {
    const res = await http(base, 'GET', `/api/v1/topics/${topic}/partitions/${partition}/records?offset=${offset}&maxRecords=10000`);
    expect(res.status, res.text).toBe(200);
    out.push(...res.json.records.map((r: { value: string }) => r.value));
    if (res.json.nextOffset >= res.json.highWatermark) return out;
    offset = res.json.nextOffset;
  }
}

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(() => {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run "npm run build" first`);
});

/** Topics other than `logs` and `metrics`, which every server creates at its first start. */
function withoutIngestTopics<T extends { name: string }>(topics: T[]): T[] {
  return topics.filter((t) => t.name !== 'logs' && t.name !== 'metrics');
}

describe('sluice topics', () => {
  it('creates, lists, describes and deletes topics with human-readable output', async () => {
    const { url } = await startTestServer();
    const created = await runCli(['topics', 'create', 'web', '--partitions', '3', '--retention-ms', '60000', '--server', url]);
    expect(created).toMatchObject({ code: 0, stdout: 'created topic web with 3 partition(s)\n' });
    expect((await runCli(['topics', 'create', 'audit', '--retention-bytes', '4096', '--server', url])).code).toBe(0);

    const list = await runCli(['topics', 'list', '--server', url]);
    expect(list.code).toBe(0);
    expect(lines(list.stdout).map((l) => l.split(/\s+/))).toEqual([
      ['TOPIC', 'PARTITIONS', 'RETENTION_MS', 'RETENTION_BYTES'],
      ['audit', '1', '604800000', '4096'],
      // The ingest topics every server starts with.
      ['logs', '6', '604800000', '-'],
      ['metrics', '6', '604800000', '-'],
      ['web', '3', '60000', '-'],
    ]);

    await produce(url, 'web', [
      { value: 'a', partition: 1 },
      { value: 'b', partition: 1 },
    ]);
    const describeText = await runCli(['topics', 'describe', 'web', '--server', url]);
    expect(describeText.code).toBe(0);
    const [header, ...table] = lines(describeText.stdout);
    expect(header).toBe('topic web: 3 partition(s), retentionMs=60000, retentionBytes=-');
    expect(table[0]!.split(/\s+/)).toEqual(['PARTITION', 'START', 'END', 'SIZE_BYTES', 'SEGMENTS']);
    const rows = table.slice(1).map((l) => l.split(/\s+/).map(Number));
    expect(rows.map(([p, start, end, , segments]) => [p, start, end, segments])).toEqual([
      [0, 0, 0, 1],
      [1, 0, 2, 1],
      [2, 0, 0, 1],
    ]);
    expect(rows[1]![3]).toBeGreaterThan(0);

    const deleted = await runCli(['topics', 'delete', 'web', '--server', url]);
    expect(deleted).toMatchObject({ code: 0, stdout: 'deleted topic web\n' });
    expect((await http(url, 'GET', '/api/v1/topics/web')).status).toBe(404);
    expect(lines((await runCli(['topics', 'list', '--server', url])).stdout)).toHaveLength(4);
  });

  it('--json prints exactly what the API returns', async () => {
    const { url } = await startTestServer();
    const created = await runCli(['topics', 'create', 'j', '--partitions', '2', '--json', '--server', url]);
    expect(created.code).toBe(0);
    const createdJson = JSON.parse(created.stdout);
    expect(createdJson).toMatchObject({ name: 'j', partitions: 2 });

    const list = await runCli(['topics', 'list', '--json', '--server', url]);
    expect(JSON.parse(list.stdout)).toEqual((await http(url, 'GET', '/api/v1/topics')).json);
    expect(withoutIngestTopics(JSON.parse(list.stdout).topics)).toEqual([createdJson]);

    await produce(url, 'j', [{ value: 'x', partition: 0 }]);
    const described = await runCli(['topics', 'describe', 'j', '--json', '--server', url]);
    expect(JSON.parse(described.stdout)).toEqual((await http(url, 'GET', '/api/v1/topics/j')).json);
    expect(JSON.parse(described.stdout).partitions[0].endOffset).toBe(1);

    const deleted = await runCli(['topics', 'delete', 'j', '--json', '--server', url]);
    expect(deleted).toMatchObject({ code: 0, stdout: '' });
    expect(withoutIngestTopics(JSON.parse((await runCli(['topics', 'list', '--json', '--server', url])).stdout).topics)).toEqual([]);
  });

  it('reports server refusals with exit 1 and the server message, usage mistakes with exit 2', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'dup', 1);
    const exists = await runCli(['topics', 'create', 'dup', '--server', url]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('topic "dup" already exists (topic_exists)');
    const badName = await runCli(['topics', 'create', 'bad name', '--server', url]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('(invalid_topic)');
    const missing = await runCli(['topics', 'describe', 'missing', '--server', url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('topic "missing" does not exist (unknown_topic)');

    const zero = await runCli(['topics', 'create', 'z', '--partitions', '0', '--server', url]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--partitions must be an integer >= 1');
    const noName = await runCli(['topics', 'describe', '--server', url]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('needs a topic name');
    const badAction = await runCli(['topics', 'rename', 'a', '--server', url]);
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('unknown topics action "rename"');
    // Nothing was created by the refused commands.
    expect(withoutIngestTopics((await http(url, 'GET', '/api/v1/topics')).json.topics).map((t) => t.name)).toEqual(['dup']);
  });
});

describe('sluice produce', () => {
  it('produces every stdin line (1,000+) in order per partition, skipping blank lines', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'bulk', 3);
    const sent = Array.from({ length: 2500 }, (_, i) => `line-${String(i).padStart(4, '0')} ${'é'.repeat(i % 5)}`);
    // CRLF endings and blank lines mixed in; no final newline.
    const input = sent.map((l, i) => (i % 100 === 0 ? `${l}\r\n\n` : `${l}\n`)).join('').replace(/\n$/, '');
    const result = await runCli(['produce', 'bulk', '--server', url], { input });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('produced 2500 record(s) to bulk\n');
    expect(result.stdout).toBe('');
    const perPartition = await Promise.all([0, 1, 2].map((p) => partitionValues(url, 'bulk', p)));
    const index = (v: string) => sent.indexOf(v);
    for (const values of perPartition) {
      const positions = values.map(index);
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(perPartition.flat().sort()).toEqual([...sent].sort());
  });

  it('--key sends every line with that key to the key partition; --partition pins one', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'keyed', 4);
    const keyed = await runCli(['produce', 'keyed', '--key', 'tenant-42', '--server', url], { input: 'k1\nk2\nk3\n' });
    expect(keyed.code, keyed.stderr).toBe(0);
    const target = partitionForKey(Buffer.from('tenant-42'), 4);
    const other = (target + 1) % 4;
    const pinned = await runCli(['produce', 'keyed', '--partition', String(other), '--server', url], { input: 'p1\np2\n' });
    expect(pinned.code, pinned.stderr).toBe(0);
    for (let p = 0; p < 4; p++) {
      const expected = p === target ? ['k1', 'k2', 'k3'] : p === other ? ['p1', 'p2'] : [];
      expect(await partitionValues(url, 'keyed', p)).toEqual(expected);
    }
    const res = await http(url, 'GET', `/api/v1/topics/keyed/partitions/${target}/records`);
    expect(res.json.records.map((r: { key: string }) => r.key)).toEqual(['tenant-42', 'tenant-42', 'tenant-42']);
  });

  it('fails with exit 1 and the server message for an unknown topic or partition', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'one', 1);
    const unknown = await runCli(['produce', 'nope', '--server', url], { input: 'x\n' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('topic "nope" does not exist (unknown_topic)');
    const partition = await runCli(['produce', 'one', '--partition', '5', '--server', url], { input: 'x\n' });
    expect(partition.code).toBe(1);
    expect(partition.stderr).toContain('(unknown_partition)');
  });
});

describe('sluice consume', () => {
  async function topicWithValues(partitions: number, perPartition: number) {
    const server = await startTestServer();
    await createTopic(server.url, 'c', partitions);
    const records = [];
    for (let i = 0; i < perPartition; i++) for (let p = 0; p < partitions; p++) records.push({ value: `p${p}-${i}`, partition: p });
    await produce(server.url, 'c', records);
    return { url: server.url, values: records.map((r) => r.value) };
  }

  it('--from-beginning prints every value exactly once, in order within each partition, then exits', async () => {
    const { url, values } = await topicWithValues(3, 20);
    const result = await runCli(['consume', 'c', '--from-beginning', '--server', url]);
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    expect([...out].sort()).toEqual([...values].sort());
    for (let p = 0; p < 3; p++) {
      expect(out.filter((v) => v.startsWith(`p${p}-`))).toEqual(Array.from({ length: 20 }, (_, i) => `p${p}-${i}`));
    }
  });

  it('without --from-beginning prints nothing that was already there', async () => {
    const { url } = await topicWithValues(2, 5);
    const result = await runCli(['consume', 'c', '--server', url]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('--partition P --offset O prints that partition from O', async () => {
    const { url } = await topicWithValues(3, 8);
    const result = await runCli(['consume', 'c', '--partition', '1', '--offset', '5', '--server', url]);
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout)).toEqual(['p1-5', 'p1-6', 'p1-7']);
    const lone = await runCli(['consume', 'c', '--partition', '1', '--server', url]);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--partition and --offset go together');
    // Past the end: without --follow it simply ends there; following, the server refuses the offset.
    const past = await runCli(['consume', 'c', '--partition', '1', '--offset', '99', '--server', url]);
    expect(past).toMatchObject({ code: 0, stdout: '' });
    const outOfRange = await runCli(['consume', 'c', '--partition', '1', '--offset', '99', '--follow', '--server', url]);
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.stderr).toContain('(offset_out_of_range)');
  });

  it('--max N prints exactly N values', async () => {
    const { url } = await topicWithValues(1, 10);
    const result = await runCli(['consume', 'c', '--from-beginning', '--max', '4', '--server', url]);
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout)).toEqual(['p0-0', 'p0-1', 'p0-2', 'p0-3']);
    const zero = await runCli(['consume', 'c', '--max', '0', '--server', url]);
    expect(zero.code).toBe(2);
  });

  it('--group commits what it printed: a second run prints nothing, a third only the new records', async () => {
    const { url, values } = await topicWithValues(3, 10);
    const first = await runCli(['consume', 'c', '--group', 'g', '--from-beginning', '--server', url]);
    expect(first.code, first.stderr).toBe(0);
    expect(lines(first.stdout).sort()).toEqual([...values].sort());

    const second = await runCli(['consume', 'c', '--group', 'g', '--from-beginning', '--server', url]);
    expect(second).toMatchObject({ code: 0, stdout: '' });

    await produce(url, 'c', [
      { value: 'new-0', partition: 0 },
      { value: 'new-1', partition: 2 },
      { value: 'new-2', partition: 2 },
    ]);
    const third = await runCli(['consume', 'c', '--group', 'g', '--from-beginning', '--server', url]);
    expect(third.code, third.stderr).toBe(0);
    expect(lines(third.stdout).sort()).toEqual(['new-0', 'new-1', 'new-2']);

    // The group left on exit and committed everything.
    const group = (await http(url, 'GET', '/api/v1/groups/g')).json;
    expect(group.members).toEqual([]);
    expect(group.offsets.map((o: { committed: number; lag: number }) => [o.committed, o.lag])).toEqual([
      [11, 0],
      [10, 0],
      [12, 0],
    ]);
  });

  it('--group with --max commits only what it printed, so the next run continues from there', async () => {
    const { url } = await topicWithValues(1, 10);
    const first = await runCli(['consume', 'c', '--group', 'm', '--from-beginning', '--max', '3', '--server', url]);
    expect(lines(first.stdout)).toEqual(['p0-0', 'p0-1', 'p0-2']);
    const rest = await runCli(['consume', 'c', '--group', 'm', '--from-beginning', '--server', url]);
    expect(lines(rest.stdout)).toEqual(['p0-3', 'p0-4', 'p0-5', 'p0-6', 'p0-7', 'p0-8', 'p0-9']);
  });

  it('--group without --from-beginning starts at the end for a new group', async () => {
    const { url } = await topicWithValues(2, 3);
    const result = await runCli(['consume', 'c', '--group', 'fresh', '--server', url]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('--follow keeps running and prints a record produced after it started', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'live', 2);
    await produce(url, 'live', [{ value: 'before', partition: 0 }]);
    const consumer = startCli(['consume', 'live', '--from-beginning', '--follow', '--server', url]);
    await waitFor(() => consumer.stdout().includes('before\n'), 10_000, 'the existing record');
    await produce(url, 'live', [{ value: 'after-0', partition: 0 }]);
    await produce(url, 'live', [{ value: 'after-1', partition: 1 }]);
    await waitFor(() => consumer.stdout().includes('after-0\n') && consumer.stdout().includes('after-1\n'), 10_000, 'the new records');
    expect(consumer.child.exitCode).toBeNull();
    expect(lines(consumer.stdout()).sort()).toEqual(['after-0', 'after-1', 'before']);
    await consumer.stop();
  });

  it('fails with exit 1 and the server message for an unknown topic', async () => {
    const { url } = await startTestServer();
    const result = await runCli(['consume', 'nope', '--from-beginning', '--server', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('topic "nope" does not exist (unknown_topic)');
    const group = await runCli(['consume', 'nope', '--group', 'g', '--server', url]);
    expect(group.code).toBe(1);
    expect(group.stderr).toContain('(unknown_topic)');
  });
});

describe('exit codes and usage', () => {
  it('an unknown command exits 2 with a message', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('no command prints the usage and exits 2; --help exits 0', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: sluice <command>');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: sluice <command>');
    const consumeHelp = await runCli(['consume', '--help']);
    expect(consumeHelp.code).toBe(0);
    expect(consumeHelp.stdout).toContain('Usage: sluice consume TOPIC');
  });

  it.each([
    [['topics', 'list', '--bogus']],
    [['produce', 't', '--nope']],
    [['consume', 't', '--from-start']],
    [['server', '--verbose']],
  ])('an unknown flag exits 2 with a message on stderr: %j', async (args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--[a-z-]+'/);
    expect(result.stderr).toContain('Run "sluice --help" for usage.');
    expect(result.stdout).toBe('');
  });

  it('an unreachable server exits 1 with "cannot reach"', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    for (const args of [['topics', 'list'], ['consume', 't'], ['produce', 't']]) {
      const result = await runCli([...args, '--server', server], { input: 'x\n' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot reach ${server}`);
      expect(result.stderr).toContain('(unavailable)');
    }
  });

  it('SLUICE_SERVER is used when --server is absent', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'via-env', 1);
    const result = await runCli(['topics', 'list', '--json'], { env: { SLUICE_SERVER: url } });
    expect(result.code, result.stderr).toBe(0);
    expect(withoutIngestTopics(JSON.parse(result.stdout).topics).map((t) => t.name)).toEqual(['via-env']);
  });
});

describe('sluice server', () => {
  it('refuses a port that is not a number with exit 2', async () => {
    const result = await runCli(['server', '--port', 'notaport', '--data', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be a port number from 0 to 65535, not "notaport"');
  });

  it('refuses a bad log level and a bad fsync policy with exit 2', async () => {
    const level = await runCli(['server', '--log-level', 'chatty', '--data', tempDir()]);
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('--log-level must be debug, info, warn or error');
    const fsync = await runCli(['server', '--fsync', 'sometimes', '--data', tempDir(), '--port', '0']);
    expect(fsync.code).toBe(2);
    expect(fsync.stderr).toContain('invalid fsync policy "sometimes"');
  });

  it('reports a YAML syntax error in --config as FILE:LINE:COL with exit 2', async () => {
    const file = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(file, 'dataDir: ./data\nhost: a: b\n');
    const result = await runCli(['server', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:2:7: `);
    expect(result.stderr).toMatch(/bad\.yaml:2:7: /);
  });

  it('reports a type error in --config at the offending value with exit 2', async () => {
    const file = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(file, 'port: 7070\nstore:\n  segmentBytes: lots\n');
    const result = await runCli(['server', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3:17: store.segmentBytes: `);
  });

  it('refuses a missing config file with exit 2', async () => {
    const file = path.join(tempDir(), 'absent.yaml');
    const result = await runCli(['server', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read config file ${file}: ENOENT`);
  });

  it('starts from a config file, lets the environment override it, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sluice.yaml');
    fs.writeFileSync(file, 'store:\n  autoCreateTopics: false\n  defaultPartitions: 3\nhttp:\n  maxRecordBytes: 10\n');
    const server = await startServerProcess(path.join(dir, 'data'), ['--config', file], { SLUICE_AUTO_CREATE_TOPICS: 'true' });
    try {
      // Auto-create comes from the environment, the partition count and record limit from the file.
      const ok = await http(server.url, 'POST', '/api/v1/topics/auto/records', { records: [{ value: 'small' }] });
      expect(ok.status, ok.text).toBe(200);
      expect((await http(server.url, 'GET', '/api/v1/topics/auto')).json.partitionCount).toBe(3);
      const big = await http(server.url, 'POST', '/api/v1/topics/auto/records', { records: [{ value: 'more than ten bytes' }] });
      expect(big.status).toBe(413);
      expect(big.json.error.code).toBe('record_too_large');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).toContain('"msg":"sluice server stopped"');
  });
});
