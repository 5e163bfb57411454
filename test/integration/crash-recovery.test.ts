/**
 * Durability under crashes: a 2xx on produce means the records are on disk, and nothing acknowledged is
 * ever lost.
 *
 * The first test runs concurrent HTTP producers against the real `sluice server` process, kill -9s it at
 * a random moment, restarts it on the same data directory and checks, after every restart:
 * - the server starts (recovery never crash-loops) and reports that it recovered;
 * - every partition reads back from offset 0 to its high watermark with contiguous offsets (no gap, no
 *   duplicate) and every record in it is one that a producer sent, byte-identical (key and value), sent
 *   once and found once;
 * - every acknowledged record is at exactly its acknowledged offset and partition;
 * - nothing a reader saw after an earlier restart has disappeared or changed;
 * - on disk, every batch of every segment is whole, has a valid CRC-32C and continues the offsets of the
 *   one before it, and segment files are named by their first offset.
 * It ends with a clean shutdown, the same file-level check, and a clean start that must see the same data.
 *
 * The second test tears the tail of the newest segment at the file level (half a batch, garbage, a whole
 * batch with a bad CRC) and checks that recovery cuts exactly those bytes, keeps every earlier record and
 * continues the offsets.
 *
 * Set CRASH_SEED to replay a run's random choices (delays, batch sizes, values; the seed is printed) and
 * CRASH_ROUNDS to change the number of kills.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchLayout, hasValidCrc, readBatchHeader } from '../../server/store/record-batch/index.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { LoadLedger, randomInt, startProducerLoad, type LoadStats } from '../helpers/producer-load.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const TOPIC = 'crash';
const PARTITIONS = 3;
const PRODUCERS = 4;
const MAX_BATCH = 200;
const SEGMENT_BYTES = 65_536;
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 24);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 0x7fffffff));

/** Servers still running when a test ends (it failed): killed so they never outlive the test. */
const live = new Set<ServerProcess>();
afterEach(async () => {
  for (const server of live) await server.kill9();
  live.clear();
});

async function start(dataDir: string, configFile: string): Promise<{ server: ServerProcess; startupMs: number }> {
  const began = performance.now();
  const server = await startServerProcess(dataDir, ['--config', configFile]);
  const startupMs = performance.now() - began;
  live.add(server);
  return { server, startupMs };
}

async function kill9(server: ServerProcess): Promise<void> {
  await server.kill9();
  live.delete(server);
}

async function stop(server: ServerProcess): Promise<number | null> {
  const code = await server.stop();
  live.delete(server);
  return code;
}

function writeConfig(): string {
  const file = path.join(tempDir('sluice-crash-config-'), 'sluice.yaml');
  // Small segments, so that segments roll (and are sealed) many times while the server is being killed.
  fs.writeFileSync(file, `store:\n  segmentBytes: ${SEGMENT_BYTES}\n  indexIntervalBytes: 1024\n`);
  return file;
}

async function createTopic(url: string, name: string, partitions: number): Promise<void> {
  const response = await fetch(`${url}/api/v1/topics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, partitions }),
  });
  expect(response.status, await response.text()).toBe(201);
}

/** The JSON log lines of a server process whose `msg` is `msg`. */
function logLines(server: ServerProcess, msg: string): Array<Record<string, unknown>> {
  return server
    .stderr()
    .split('\n')
    .filter((line) => line.includes(`"msg":${JSON.stringify(msg)}`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function errorLines(server: ServerProcess): string[] {
  return server
    .stderr()
    .split('\n')
    .filter((line) => line.includes('"level":"error"'));
}

interface StoredRecordBytes {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

interface PartitionContents {
  records: StoredRecordBytes[];
  highWatermark: number;
  logStartOffset: number;
}

/**
 * Reads a whole partition through the HTTP API, from its log start offset to its high watermark, paging
 * with nextOffset, with keys and values as base64 (bytes, not text). Checks the paging invariants on the way:
 * every page starts at the offset asked for and offsets rise by exactly one (no gap, no duplicate).
 */
async function readPartition(url: string, topic: string, partition: number): Promise<PartitionContents> {
  const records: StoredRecordBytes[] = [];
  let offset = 0;
  let highWatermark = -1;
  let logStartOffset = -1;
  for (;;) {
    const response = await fetch(`${url}/api/v1/topics/${topic}/partitions/${partition}/records?offset=${offset}&maxRecords=10000&encoding=base64`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const page = JSON.parse(text) as {
      records: Array<{ offset: number; key: string | null; value: string | null }>;
      nextOffset: number;
      highWatermark: number;
      logStartOffset: number;
    };
    if (highWatermark === -1) {
      highWatermark = page.highWatermark;
      logStartOffset = page.logStartOffset;
    }
    // Nothing produces while a partition is verified, so the watermark cannot move.
    expect(page.highWatermark, `partition ${partition}: high watermark moved during the read`).toBe(highWatermark);
    for (const r of page.records) {
      const expected = records.length === 0 ? logStartOffset : records[records.length - 1]!.offset + 1;
      if (r.offset !== expected) throw new Error(`partition ${partition}: offset ${r.offset} follows ${expected - 1} (gap or duplicate)`);
      records.push({
        offset: r.offset,
        key: r.key === null ? null : Buffer.from(r.key, 'base64'),
        value: r.value === null ? null : Buffer.from(r.value, 'base64'),
      });
    }
    if (page.nextOffset >= highWatermark) break;
    if (page.nextOffset <= offset) throw new Error(`partition ${partition}: fetch at ${offset} made no progress (nextOffset ${page.nextOffset}, HW ${highWatermark})`);
    offset = page.nextOffset;
  }
  const end = records.length === 0 ? logStartOffset : records[records.length - 1]!.offset + 1;
  expect(end, `partition ${partition}: records end at ${end} but the high watermark is ${highWatermark}`).toBe(highWatermark);
  return { records, highWatermark, logStartOffset };
}

interface PartitionFiles {
  partition: number;
  segments: number;
  batches: number;
  endOffset: number;
  sizeBytes: number;
}

/**
 * Walks every segment file of every partition on disk (`topics/<topicId>/<partition>/*.log`) and checks
 * that the file is nothing but whole batches back to back, each with magic 2 and a valid CRC-32C, whose
 * base offsets continue from the previous batch (across segments too), and that each segment is named by
 * its first offset. A torn or corrupt tail left after recovery fails here.
 */
function scanSegmentFiles(dataDir: string): Map<string, PartitionFiles> {
  const out = new Map<string, PartitionFiles>();
  const topicsDir = path.join(dataDir, 'topics');
  for (const topicId of fs.readdirSync(topicsDir).sort()) {
    for (const partitionName of fs.readdirSync(path.join(topicsDir, topicId)).sort()) {
      const dir = path.join(topicsDir, topicId, partitionName);
      const logs = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .sort();
      let expected = 0;
      let batches = 0;
      let sizeBytes = 0;
      for (const name of logs) {
        const where = `${topicId}/${partitionName}/${name}`;
        expect(name, `${where}: segment file name`).toMatch(/^\d{20}\.log$/);
        expect(Number(name.slice(0, 20)), `${where}: a segment is named by the offset that follows the previous one`).toBe(expected);
        const bytes = fs.readFileSync(path.join(dir, name));
        sizeBytes += bytes.length;
        let position = 0;
        while (position < bytes.length) {
          const header = readBatchHeader(bytes, position, bytes.length);
          if (header === null) throw new Error(`${where}: ${bytes.length - position} bytes at ${position} are not a whole batch (torn tail left behind)`);
          if (header.magic !== BatchLayout.CURRENT_MAGIC) throw new Error(`${where}: batch at ${position} has magic ${header.magic}`);
          if (!hasValidCrc(bytes.subarray(position, position + header.sizeInBytes))) throw new Error(`${where}: batch at ${position} fails its CRC`);
          if (header.baseOffset !== expected) throw new Error(`${where}: batch at ${position} starts at offset ${header.baseOffset}, expected ${expected}`);
          if (header.recordCount !== header.lastOffsetDelta + 1) throw new Error(`${where}: batch at ${position} holds ${header.recordCount} records but spans ${header.lastOffsetDelta + 1} offsets`);
          expected = header.baseOffset + header.lastOffsetDelta + 1;
          position += header.sizeInBytes;
          batches++;
        }
      }
      out.set(`${topicId}/${partitionName}`, { partition: Number(partitionName), segments: logs.length, batches, endOffset: expected, sizeBytes });
    }
  }
  return out;
}

/** The single topic's partitions on disk, by partition number. */
/**
 * The test topic's partitions. Every topic is scanned (the built-in `logs` and `metrics` topics, created
 * at the first start, must pass too), but only the test topic is compared with the ledger: it was created
 * last, so its directory has the highest topic id.
 */
function onlyTopicFiles(dataDir: string): PartitionFiles[] {
  const topicId = testTopicId(dataDir);
  const files = [...scanSegmentFiles(dataDir)].filter(([key]) => key.startsWith(`${topicId}/`)).map(([, files]) => files);
  return files.sort((a, b) => a.partition - b.partition);
}

function testTopicId(dataDir: string): string {
  return String(Math.max(...fs.readdirSync(path.join(dataDir, 'topics')).map(Number)));
}

/**
 * Checks the whole topic against the ledger. Returns the record ids at each offset of each partition, so
 * the next round can check that nothing a reader saw then has disappeared or changed since.
 */
async function verifyTopic(url: string, ledger: LoadLedger, previous: string[][] | null, when: string): Promise<{ ids: string[][]; highWatermarks: number[] }> {
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < 25) problems.push(`${when}: ${text}`);
  };
  const seenIn = new Map<string, string>();
  const ids: string[][] = [];
  const highWatermarks: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const contents = await readPartition(url, TOPIC, p);
    expect(contents.logStartOffset, `partition ${p}: no retention runs here, so the log starts at 0`).toBe(0);
    highWatermarks.push(contents.highWatermark);
    const partitionIds: string[] = [];
    for (const r of contents.records) {
      const value = r.value?.toString('utf8') ?? '';
      const id = LoadLedger.idOf(value);
      const sent = id === null ? undefined : ledger.sent.get(id);
      partitionIds.push(id ?? '?');
      if (id === null || sent === undefined) {
        problem(`partition ${p} offset ${r.offset} holds a value no producer sent: ${JSON.stringify(value.slice(0, 120))}`);
        continue;
      }
      if (r.value === null || !r.value.equals(Buffer.from(sent.value, 'utf8'))) problem(`partition ${p} offset ${r.offset}: value of ${id} is not byte-identical to what was sent`);
      const sentKey = sent.key === null ? null : Buffer.from(sent.key, 'utf8');
      if ((r.key === null) !== (sentKey === null) || (r.key !== null && !r.key.equals(sentKey!))) problem(`partition ${p} offset ${r.offset}: key of ${id} differs from what was sent`);
      if (sent.requestedPartition !== null && sent.requestedPartition !== p) problem(`${id} was sent to partition ${sent.requestedPartition} but is stored in ${p}`);
      const where = `${p}@${r.offset}`;
      const before = seenIn.get(id);
      if (before !== undefined) problem(`${id} is stored twice: ${before} and ${where} (it was sent once)`);
      seenIn.set(id, where);
    }
    if (previous) {
      const earlier = previous[p]!;
      if (partitionIds.length < earlier.length) problem(`partition ${p} shrank from ${earlier.length} to ${partitionIds.length} records: records a reader saw were lost`);
      for (let o = 0; o < Math.min(earlier.length, partitionIds.length); o++) {
        if (earlier[o] !== partitionIds[o]) {
          problem(`partition ${p} offset ${o} held ${earlier[o]} before and holds ${partitionIds[o]} now`);
          break;
        }
      }
    }
    ids.push(partitionIds);
  }

  const keyPartition = new Map<string, number>();
  for (const ack of ledger.acked) {
    const stored = ids[ack.partition]?.[ack.offset];
    if (stored === undefined) problem(`acknowledged ${ack.record.id} at ${ack.partition}@${ack.offset} is missing (high watermark ${highWatermarks[ack.partition]})`);
    else if (stored !== ack.record.id) problem(`acknowledged ${ack.record.id} at ${ack.partition}@${ack.offset}, but that offset holds ${stored}`);
    if (ack.record.requestedPartition !== null && ack.record.requestedPartition !== ack.partition) problem(`${ack.record.id} asked for partition ${ack.record.requestedPartition} and was acknowledged on ${ack.partition}`);
    if (ack.record.key !== null) {
      const first = keyPartition.get(ack.record.key);
      if (first === undefined) keyPartition.set(ack.record.key, ack.partition);
      else if (first !== ack.partition) problem(`key ${ack.record.key} went to partitions ${first} and ${ack.partition}`);
    }
  }
  expect(problems).toEqual([]);
  return { ids, highWatermarks };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe('crash recovery', () => {
  it(
    `kill -9 under produce load ${ROUNDS} times: every acknowledged record survives, byte-identical, at its offset`,
    async () => {
      expect(ROUNDS).toBeGreaterThanOrEqual(20);
      console.log(`crash-recovery: seed ${SEED} (replay with CRASH_SEED=${SEED})`);
      const rng = mulberry32(SEED);
      const dataDir = tempDir('sluice-crash-');
      const configFile = writeConfig();
      const ledger = new LoadLedger();
      const began = performance.now();

      let { server } = await start(dataDir, configFile);
      await createTopic(server.url, TOPIC, PARTITIONS);

      const startupMs: number[] = [];
      const storeOpenMs: number[] = [];
      const rounds: Array<LoadStats & { delayMs: number }> = [];
      let truncations = 0;
      let previous: string[][] | null = null;
      let lastHighWatermarks: number[] = [];

      for (let round = 0; round < ROUNDS; round++) {
        const delayMs = randomInt(rng, 50, 400);
        const load = startProducerLoad(ledger, {
          url: server.url,
          topic: TOPIC,
          partitions: PARTITIONS,
          producers: PRODUCERS,
          seed: (SEED + Math.imul(round + 1, 0x85ebca6b)) >>> 0,
          maxBatch: MAX_BATCH,
        });
        // The random moment of the crash is the point of this test; correctness never waits on a timer.
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        load.expectKill();
        await kill9(server);
        const stats = await load.finished;
        rounds.push({ ...stats, delayMs });
        expect(stats.unexpected, `round ${round}: producer failures not caused by the kill`).toEqual([]);
        expect(errorLines(server), `round ${round}: the server logged errors before the kill`).toEqual([]);

        const restarted = await start(dataDir, configFile);
        server = restarted.server;
        startupMs.push(restarted.startupMs);
        const opened = logLines(server, 'topic store opened');
        expect(opened, 'one "topic store opened" line').toHaveLength(1);
        expect(opened[0]!.recovered, `round ${round}: an unclean start must run recovery`).toBe(true);
        storeOpenMs.push(Number(opened[0]!.ms));
        truncations += logLines(server, 'truncated a torn tail during recovery').length;

        const verified = await verifyTopic(server.url, ledger, previous, `after crash ${round + 1}`);
        previous = verified.ids;
        lastHighWatermarks = verified.highWatermarks;
        // After recovery the files hold exactly what the API serves: whole, CRC-valid, contiguous batches.
        const files = onlyTopicFiles(dataDir);
        expect(files.map((f) => f.endOffset), `after crash ${round + 1}: end offsets on disk`).toEqual(lastHighWatermarks);
      }

      // A clean shutdown, then the file-level check once more.
      expect(await stop(server), 'exit code of a clean shutdown').toBe(0);
      const files = onlyTopicFiles(dataDir);
      expect(files.map((f) => f.partition)).toEqual([0, 1, 2]);
      expect(files.map((f) => f.endOffset), 'end offsets on disk after a clean shutdown').toEqual(lastHighWatermarks);
      expect(Math.min(...files.map((f) => f.segments)), 'segments rolled during the test').toBeGreaterThan(1);

      // A clean start trusts the indexes instead of recovering; it must serve exactly the same data.
      ({ server } = await start(dataDir, configFile));
      expect(logLines(server, 'topic store opened')[0]!.recovered).toBe(false);
      await verifyTopic(server.url, ledger, previous, 'after a clean restart');
      expect(await stop(server)).toBe(0);

      const acknowledged = ledger.acked.length;
      const stored = lastHighWatermarks.reduce((a, b) => a + b, 0);
      const killedInFlight = rounds.filter((r) => r.inFlightAtKill > 0).length;
      // The test only proves something if the kills hit real traffic.
      expect(acknowledged).toBeGreaterThan(ROUNDS * 50);
      expect(killedInFlight, 'rounds whose kill hit requests in flight').toBeGreaterThanOrEqual(Math.ceil(ROUNDS / 2));
      console.log(
        `crash-recovery: seed ${SEED}: ${ROUNDS} kill -9 rounds (${killedInFlight} with requests in flight), ` +
          `${acknowledged} acknowledged records verified in ${rounds.reduce((n, r) => n + r.acknowledgedRequests, 0)} requests, ` +
          `${stored} records stored (${stored - acknowledged} written but unacknowledged), ${files.reduce((n, f) => n + f.batches, 0)} batches in ` +
          `${files.reduce((n, f) => n + f.segments, 0)} segments CRC-checked, ${truncations} torn tails cut; restart to listening ms ` +
          `min ${Math.round(Math.min(...startupMs))} p50 ${Math.round(percentile(startupMs, 0.5))} max ${Math.round(Math.max(...startupMs))}, ` +
          `store open (recovery) ms p50 ${percentile(storeOpenMs, 0.5)} max ${Math.max(...storeOpenMs)}; total ${((performance.now() - began) / 1000).toFixed(1)} s`,
      );
    },
    180_000,
  );

  it('cuts a torn tail (half a batch, garbage, a batch with a bad CRC) and continues the offsets', async () => {
    const rng = mulberry32(SEED ^ 0x5eed);
    const dataDir = tempDir('sluice-torn-');
    const configFile = writeConfig();
    let { server } = await start(dataDir, configFile);
    await createTopic(server.url, TOPIC, PARTITIONS);

    // About 200 KB per partition, so each partition has several segments and the newest is not the first.
    const produce = async (records: Array<{ value: string; partition: number }>) => {
      const response = await fetch(`${server.url}/api/v1/topics/${TOPIC}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return (JSON.parse(text) as { offsets: Array<{ partition: number; offset: number }> }).offsets;
    };
    const expected: string[][] = [[], [], []];
    for (let i = 0; i < 60; i++) {
      const partition = i % PARTITIONS;
      const records = Array.from({ length: 20 }, (_, j) => ({ value: `torn-${i}-${j}-${'x'.repeat(randomInt(rng, 100, 900))}-é日🙂`, partition }));
      const offsets = await produce(records);
      offsets.forEach((o, j) => {
        expect(o).toEqual({ partition, offset: expected[partition]!.length });
        expected[partition]!.push(records[j]!.value);
      });
    }
    expect(await stop(server)).toBe(0);
    const before = onlyTopicFiles(dataDir);
    expect(before.map((f) => f.endOffset)).toEqual(expected.map((e) => e.length));
    expect(Math.min(...before.map((f) => f.segments))).toBeGreaterThan(1);

    // Tear the newest segment of each partition the ways a crash (or a dying disk) can.
    const topicId = testTopicId(dataDir);
    const appended: number[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const dir = path.join(dataDir, 'topics', topicId!, String(p));
      const newest = path.join(dir, fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort().pop()!);
      const bytes = fs.readFileSync(newest);
      // The last whole batch in the segment, re-addressed to the next offset: a plausible next batch.
      let position = 0;
      let last = { position: 0, size: 0 };
      while (position < bytes.length) {
        const header = readBatchHeader(bytes, position, bytes.length)!;
        last = { position, size: header.sizeInBytes };
        position += header.sizeInBytes;
      }
      const next = Buffer.from(bytes.subarray(last.position, last.position + last.size));
      next.writeBigInt64BE(BigInt(before[p]!.endOffset), BatchLayout.BASE_OFFSET);
      let tail: Buffer;
      if (p === 0) {
        tail = next.subarray(0, Math.floor(next.length / 2)); // a write cut in the middle
      } else if (p === 1) {
        tail = Buffer.from(Array.from({ length: 777 }, () => randomInt(rng, 0, 255))); // garbage
      } else {
        next[next.length - 3] = next[next.length - 3]! ^ 0xff; // whole, well-formed, but its bytes do not match its CRC
        tail = next;
        expect(hasValidCrc(tail)).toBe(false);
      }
      fs.appendFileSync(newest, tail);
      appended.push(tail.length);
    }
    // Without the marker the server must treat the directory as crashed.
    fs.rmSync(path.join(dataDir, '.clean-shutdown'));

    ({ server } = await start(dataDir, configFile));
    expect(logLines(server, 'topic store opened')[0]!.recovered).toBe(true);
    const cut = logLines(server, 'truncated a torn tail during recovery')
      .map((l) => ({ topic: l.topic, partition: l.partition, bytes: l.bytes }))
      .sort((a, b) => Number(a.partition) - Number(b.partition));
    expect(cut).toEqual(appended.map((bytes, partition) => ({ topic: TOPIC, partition, bytes })));

    // Every earlier record is still there, at its offset, and nothing else.
    for (let p = 0; p < PARTITIONS; p++) {
      const contents = await readPartition(server.url, TOPIC, p);
      expect(contents.highWatermark).toBe(expected[p]!.length);
      expect(contents.records.map((r) => r.value?.toString('utf8'))).toEqual(expected[p]);
    }

    // New produces continue at the next contiguous offset, and read back.
    for (let p = 0; p < PARTITIONS; p++) {
      const records = [{ value: `after-recovery-${p}-a`, partition: p }, { value: `after-recovery-${p}-b`, partition: p }];
      const offsets = await produce(records);
      expect(offsets).toEqual([
        { partition: p, offset: expected[p]!.length },
        { partition: p, offset: expected[p]!.length + 1 },
      ]);
      expected[p]!.push(records[0]!.value, records[1]!.value);
      const contents = await readPartition(server.url, TOPIC, p);
      expect(contents.records.map((r) => r.value?.toString('utf8'))).toEqual(expected[p]);
    }
    expect(errorLines(server)).toEqual([]);
    expect(await stop(server)).toBe(0);

    // On disk: the torn bytes are gone, the new batches follow the old ones, every CRC checks out.
    const after = onlyTopicFiles(dataDir);
    expect(after.map((f) => f.endOffset)).toEqual(expected.map((e) => e.length));
    after.forEach((f, p) => expect(f.sizeBytes).toBeGreaterThan(before[p]!.sizeBytes));
  }, 60_000);
});
