import { describe, expect, it } from 'vitest';
import { http, ManualClock, startTestServer } from '../helpers/server.js';

type Response = Awaited<ReturnType<typeof http>>;

interface TopicPartition {
  topic: string;
  partition: number;
}

interface Member {
  memberId: string;
  generation: number;
  assignments: TopicPartition[];
}

interface MemberRecord extends TopicPartition {
  offset: number;
  key: string | null;
  value: string | null;
}

/** Every error is {"error":{"code","message"}} (nothing else) with the status its code maps to. */
function expectError(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.json }).toMatchObject({ status, body: { error: { code } } });
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message']);
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(0);
}

async function createTopic(base: string, name: string, partitions: number): Promise<void> {
  const res = await http(base, 'POST', '/api/v1/topics', { name, partitions });
  expect(res.status, res.text).toBe(201);
}

/** Produces `count` records into every partition: values "p{partition}-{i}". */
async function fillPartitions(base: string, topic: string, partitions: number, count: number, prefix = ''): Promise<void> {
  const records = [];
  for (let p = 0; p < partitions; p++) for (let i = 0; i < count; i++) records.push({ value: `${prefix}p${p}-${i}`, partition: p });
  const res = await http(base, 'POST', `/api/v1/topics/${topic}/records`, { records });
  expect(res.status, res.text).toBe(200);
}

async function join(base: string, group: string, body: Record<string, unknown>): Promise<Member> {
  const res = await http(base, 'POST', `/api/v1/groups/${group}/members`, body);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function heartbeat(base: string, group: string, memberId: string): Promise<Member> {
  const res = await http(base, 'POST', `/api/v1/groups/${group}/members/${memberId}/heartbeat`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function fetchMember(base: string, group: string, memberId: string, query = ''): Promise<{ generation: number; records: MemberRecord[] }> {
  const res = await http(base, 'GET', `/api/v1/groups/${group}/members/${memberId}/records${query ? `?${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function commit(base: string, group: string, body: Record<string, unknown>): Promise<Response> {
  return http(base, 'POST', `/api/v1/groups/${group}/offsets`, body);
}

async function describeGroup(base: string, group: string) {
  const res = await http(base, 'GET', `/api/v1/groups/${group}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

const tp = (list: TopicPartition[]) => list.map((a) => `${a.topic}/${a.partition}`).sort();
const values = (records: MemberRecord[]) => records.map((r) => r.value!).sort();

describe('joining a group', () => {
  it('answers 201 with memberId, generation and every partition for the only member', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 3);
    const res = await http(url, 'POST', '/api/v1/groups/g/members', { topics: ['clicks'], clientId: 'c1' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(['assignments', 'generation', 'memberId']);
    expect(res.json.memberId).toMatch(/\S/);
    expect(res.json.generation).toBe(1);
    expect(tp(res.json.assignments)).toEqual(['clicks/0', 'clicks/1', 'clicks/2']);
  });

  it('splits partitions between two members with no overlap and full coverage, in a new generation', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 5);
    await createTopic(url, 'audit', 2);
    const a = await join(url, 'g', { topics: ['clicks', 'audit'] });
    const b = await join(url, 'g', { topics: ['clicks', 'audit'] });
    expect(b.memberId).not.toBe(a.memberId);
    expect(b.generation).toBe(a.generation + 1);
    const aNow = await heartbeat(url, 'g', a.memberId);
    expect(aNow.generation).toBe(b.generation);
    const all = [...tp(aNow.assignments), ...tp(b.assignments)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(['audit/0', 'audit/1', 'clicks/0', 'clicks/1', 'clicks/2', 'clicks/3', 'clicks/4']);
    expect(Math.abs(aNow.assignments.length - b.assignments.length)).toBeLessThanOrEqual(1);
  });

  it('refuses an unknown topic with 404 unknown_topic', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    expectError(await http(url, 'POST', '/api/v1/groups/g/members', { topics: ['clicks', 'missing'] }), 404, 'unknown_topic');
    expect((await http(url, 'GET', '/api/v1/groups')).json).toEqual({ groups: [] });
  });

  it.each([
    ['no topics', { topics: [] }],
    ['topics missing', {}],
    ['topics not a list', { topics: 'clicks' }],
    ['an unknown field', { topics: ['clicks'], rebalance: 'eager' }],
    ['a bad autoOffsetReset', { topics: ['clicks'], autoOffsetReset: 'middle' }],
    ['a session timeout too short', { topics: ['clicks'], sessionTimeoutMs: 10 }],
    ['a session timeout too long', { topics: ['clicks'], sessionTimeoutMs: 300_001 }],
    ['a session timeout that is text', { topics: ['clicks'], sessionTimeoutMs: '5000' }],
  ])('refuses a join body with %s with 400 invalid_request', async (_what, body) => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    expectError(await http(url, 'POST', '/api/v1/groups/g/members', body), 400, 'invalid_request');
  });

  it('refuses a join body that is not JSON with 400 invalid_request', async () => {
    const { url } = await startTestServer();
    expectError(await http(url, 'POST', '/api/v1/groups/g/members', 'topics=clicks', { 'content-type': 'application/json' }), 400, 'invalid_request');
  });
});

describe('fetching as a member', () => {
  it('returns records from the member own partitions only, and together the members see everything once', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 4);
    await fillPartitions(url, 'clicks', 4, 5);
    const a = await join(url, 'g', { topics: ['clicks'] });
    const b = await join(url, 'g', { topics: ['clicks'] });
    const aState = await heartbeat(url, 'g', a.memberId);
    const fromA = await fetchMember(url, 'g', a.memberId);
    const fromB = await fetchMember(url, 'g', b.memberId);
    expect(fromA.generation).toBe(b.generation);
    const mineA = new Set(tp(aState.assignments));
    const mineB = new Set(tp(b.assignments));
    expect(fromA.records.length).toBeGreaterThan(0);
    expect(fromB.records.length).toBeGreaterThan(0);
    expect(fromA.records.every((r) => mineA.has(`${r.topic}/${r.partition}`))).toBe(true);
    expect(fromB.records.every((r) => mineB.has(`${r.topic}/${r.partition}`))).toBe(true);
    expect(fromA.records.every((r) => r.value!.startsWith(`p${r.partition}-`))).toBe(true);
    const expected = [0, 1, 2, 3].flatMap((p) => [0, 1, 2, 3, 4].map((i) => `p${p}-${i}`)).sort();
    expect([...values(fromA.records), ...values(fromB.records)].sort()).toEqual(expected);
    // Positions advanced: nothing more to read.
    expect((await fetchMember(url, 'g', a.memberId)).records).toEqual([]);
    expect((await fetchMember(url, 'g', b.memberId)).records).toEqual([]);
  });

  it('respects maxRecords and continues where the previous fetch stopped', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'one', 1);
    await fillPartitions(url, 'one', 1, 7);
    const m = await join(url, 'g', { topics: ['one'] });
    const first = await fetchMember(url, 'g', m.memberId, 'maxRecords=3');
    const second = await fetchMember(url, 'g', m.memberId, 'maxRecords=3');
    const third = await fetchMember(url, 'g', m.memberId, 'maxRecords=3');
    expect([first, second, third].map((page) => page.records.map((r) => r.offset))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('long-polls: a fetch with maxWaitMs returns a record produced while it waits', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'lp', 2);
    const m = await join(url, 'g', { topics: ['lp'] });
    expect((await fetchMember(url, 'g', m.memberId)).records).toEqual([]);
    const pending = fetchMember(url, 'g', m.memberId, 'maxWaitMs=5000');
    const early = await Promise.race([pending.then(() => 'returned'), new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    expect(early).toBe('waiting');
    const producedAt = Date.now();
    const res = await http(url, 'POST', '/api/v1/topics/lp/records', { records: [{ value: 'wake', partition: 1 }] });
    expect(res.status).toBe(200);
    const page = await pending;
    expect(Date.now() - producedAt).toBeLessThan(1500);
    expect(page.records.map((r) => [r.partition, r.offset, r.value])).toEqual([[1, 0, 'wake']]);
  });

  it('refuses bad fetch parameters with 400 invalid_request and an unknown member with 404 unknown_member', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    const m = await join(url, 'g', { topics: ['clicks'] });
    for (const query of ['maxRecords=0', 'maxWaitMs=abc', 'encoding=hex']) {
      expectError(await http(url, 'GET', `/api/v1/groups/g/members/${m.memberId}/records?${query}`), 400, 'invalid_request');
    }
    expectError(await http(url, 'GET', '/api/v1/groups/g/members/member-nope/records'), 404, 'unknown_member');
  });
});

describe('committing offsets', () => {
  it('a fenced commit is recorded: describe shows committed, endOffset and lag per partition', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { url } = await startTestServer({ clock });
    await createTopic(url, 'clicks', 2);
    await fillPartitions(url, 'clicks', 2, 10);
    const m = await join(url, 'g', { topics: ['clicks'], clientId: 'worker-1' });
    await fetchMember(url, 'g', m.memberId);
    const res = await commit(url, 'g', {
      memberId: m.memberId,
      generation: m.generation,
      offsets: [
        { topic: 'clicks', partition: 0, offset: 4, metadata: 'batch-1' },
        { topic: 'clicks', partition: 1, offset: 10 },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ committed: 2 });
    const d = await describeGroup(url, 'g');
    expect(d).toMatchObject({ group: 'g', state: 'stable', generation: m.generation });
    expect(d.members).toEqual([
      {
        memberId: m.memberId,
        clientId: 'worker-1',
        topics: ['clicks'],
        assignments: [
          { topic: 'clicks', partition: 0 },
          { topic: 'clicks', partition: 1 },
        ],
        lastHeartbeat: 1_700_000_000_000,
      },
    ]);
    expect(d.offsets).toEqual([
      { topic: 'clicks', partition: 0, committed: 4, endOffset: 10, lag: 6 },
      { topic: 'clicks', partition: 1, committed: 10, endOffset: 10, lag: 0 },
    ]);
    // Lag follows new records.
    await fillPartitions(url, 'clicks', 2, 3, 'more-');
    expect((await describeGroup(url, 'g')).offsets.map((o: { lag: number; endOffset: number }) => [o.endOffset, o.lag])).toEqual([
      [13, 9],
      [13, 3],
    ]);
  });

  it('describe reports lag from the start offset for partitions never committed', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 2);
    await fillPartitions(url, 'clicks', 2, 4);
    await join(url, 'g', { topics: ['clicks'] });
    expect((await describeGroup(url, 'g')).offsets).toEqual([
      { topic: 'clicks', partition: 0, committed: null, endOffset: 4, lag: 4 },
      { topic: 'clicks', partition: 1, committed: null, endOffset: 4, lag: 4 },
    ]);
  });

  it('refuses a commit from a stale generation with 409 illegal_generation, keeping the old offset', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 2);
    await fillPartitions(url, 'clicks', 2, 5);
    const a = await join(url, 'g', { topics: ['clicks'] });
    const ok = await commit(url, 'g', { memberId: a.memberId, generation: a.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 1 }] });
    expect(ok.status).toBe(200);
    await join(url, 'g', { topics: ['clicks'] });
    const stale = await commit(url, 'g', { memberId: a.memberId, generation: a.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 5 }] });
    expectError(stale, 409, 'illegal_generation');
    const row = (await describeGroup(url, 'g')).offsets.find((o: TopicPartition) => o.partition === 0);
    expect(row.committed).toBe(1);
  });

  it('refuses a fenced commit from a member that is not in the group with 404 unknown_member', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    const m = await join(url, 'g', { topics: ['clicks'] });
    const res = await commit(url, 'g', { memberId: 'member-ghost', generation: m.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 0 }] });
    expectError(res, 404, 'unknown_member');
  });

  it('refuses an offset beyond the high watermark with 400 invalid_offset', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    await fillPartitions(url, 'clicks', 1, 3);
    const m = await join(url, 'g', { topics: ['clicks'] });
    const atEnd = await commit(url, 'g', { memberId: m.memberId, generation: m.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 3 }] });
    expect(atEnd.status).toBe(200);
    const beyond = await commit(url, 'g', { memberId: m.memberId, generation: m.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 4 }] });
    expectError(beyond, 400, 'invalid_offset');
    expect((await describeGroup(url, 'g')).offsets[0].committed).toBe(3);
  });

  it('refuses commits naming unknown topics/partitions (404) and malformed commit bodies (400)', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    expectError(await commit(url, 'g', { offsets: [{ topic: 'missing', partition: 0, offset: 0 }] }), 404, 'unknown_topic');
    expectError(await commit(url, 'g', { offsets: [{ topic: 'clicks', partition: 1, offset: 0 }] }), 404, 'unknown_partition');
    expectError(await commit(url, 'g', { offsets: [{ topic: 'clicks', partition: 0, offset: -1 }] }), 400, 'invalid_request');
    expectError(await commit(url, 'g', { offsets: [{ topic: 'clicks', partition: 0 }] }), 400, 'invalid_request');
    expectError(await commit(url, 'g', { offsets: [{ topic: 'clicks', partition: 0, offset: 0, extra: 1 }] }), 400, 'invalid_request');
    expectError(await commit(url, 'g', { offsets: 'all' }), 400, 'invalid_request');
  });

  it('an administrative (unfenced) commit resets where a new member starts', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    await fillPartitions(url, 'clicks', 1, 6);
    const res = await commit(url, 'admin', { offsets: [{ topic: 'clicks', partition: 0, offset: 4 }] });
    expect(res.status).toBe(200);
    const m = await join(url, 'admin', { topics: ['clicks'] });
    expect((await fetchMember(url, 'admin', m.memberId)).records.map((r) => r.offset)).toEqual([4, 5]);
  });
});

describe('membership changes', () => {
  it('an unknown member heartbeat is 404 unknown_member, also in a group that does not exist', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    await join(url, 'g', { topics: ['clicks'] });
    expectError(await http(url, 'POST', '/api/v1/groups/g/members/member-nope/heartbeat'), 404, 'unknown_member');
    expectError(await http(url, 'POST', '/api/v1/groups/nogroup/members/member-nope/heartbeat'), 404, 'unknown_member');
    expectError(await http(url, 'DELETE', '/api/v1/groups/g/members/member-nope'), 404, 'unknown_member');
  });

  it('after a member leaves (204), the remaining one gets every partition in a new generation', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 4);
    const a = await join(url, 'g', { topics: ['clicks'] });
    const b = await join(url, 'g', { topics: ['clicks'] });
    expect((await heartbeat(url, 'g', a.memberId)).assignments.length).toBe(2);
    const left = await http(url, 'DELETE', `/api/v1/groups/g/members/${b.memberId}`);
    expect(left.status).toBe(204);
    const after = await heartbeat(url, 'g', a.memberId);
    expect(after.generation).toBe(b.generation + 1);
    expect(tp(after.assignments)).toEqual(['clicks/0', 'clicks/1', 'clicks/2', 'clicks/3']);
    expectError(await http(url, 'POST', `/api/v1/groups/g/members/${b.memberId}/heartbeat`), 404, 'unknown_member');
  });

  it('a member whose session expires is removed and the other member gets its partitions', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const server = await startTestServer({ clock });
    const { url } = server;
    await createTopic(url, 'clicks', 4);
    await fillPartitions(url, 'clicks', 4, 2);
    const short = await join(url, 'g', { topics: ['clicks'], sessionTimeoutMs: 5_000 });
    const long = await join(url, 'g', { topics: ['clicks'], sessionTimeoutMs: 60_000 });
    const generation = long.generation;
    expect(long.assignments).toHaveLength(2);

    // Within the session nothing happens.
    clock.advance(4_000);
    server.store.expireGroupSessions();
    expect((await heartbeat(url, 'g', short.memberId)).generation).toBe(generation);

    clock.advance(5_001);
    server.store.expireGroupSessions();
    expectError(await http(url, 'POST', `/api/v1/groups/g/members/${short.memberId}/heartbeat`), 404, 'unknown_member');
    const survivor = await heartbeat(url, 'g', long.memberId);
    expect(survivor.generation).toBeGreaterThan(generation);
    expect(tp(survivor.assignments)).toEqual(['clicks/0', 'clicks/1', 'clicks/2', 'clicks/3']);
    const page = await fetchMember(url, 'g', long.memberId);
    expect(values(page.records)).toEqual(['p0-0', 'p0-1', 'p1-0', 'p1-1', 'p2-0', 'p2-1', 'p3-0', 'p3-1']);
    expect((await describeGroup(url, 'g')).members.map((m: { memberId: string }) => m.memberId)).toEqual([long.memberId]);
  });

  it('growing a subscribed topic rebalances the group and assigns the new partitions', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    const m = await join(url, 'g', { topics: ['clicks'] });
    const res = await http(url, 'PATCH', '/api/v1/topics/clicks', { partitions: 3 });
    expect(res.status).toBe(200);
    const now = await heartbeat(url, 'g', m.memberId);
    expect(now.generation).toBe(m.generation + 1);
    expect(tp(now.assignments)).toEqual(['clicks/0', 'clicks/1', 'clicks/2']);
  });
});

describe('delivery semantics', () => {
  it('publish-subscribe: two different groups each receive every record', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 3);
    await fillPartitions(url, 'clicks', 3, 4);
    const a = await join(url, 'alpha', { topics: ['clicks'] });
    const b = await join(url, 'beta', { topics: ['clicks'] });
    const expected = [0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((i) => `p${p}-${i}`)).sort();
    expect(values((await fetchMember(url, 'alpha', a.memberId)).records)).toEqual(expected);
    expect(values((await fetchMember(url, 'beta', b.memberId)).records)).toEqual(expected);
  });

  it('resume: after a commit, a new member of the same group starts at the committed offset', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    await fillPartitions(url, 'clicks', 1, 10);
    const first = await join(url, 'g', { topics: ['clicks'] });
    const page = await fetchMember(url, 'g', first.memberId, 'maxRecords=6');
    expect(page.records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    // Processed only the first four.
    const res = await commit(url, 'g', { memberId: first.memberId, generation: page.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 4 }] });
    expect(res.status).toBe(200);
    expect((await http(url, 'DELETE', `/api/v1/groups/g/members/${first.memberId}`)).status).toBe(204);
    const second = await join(url, 'g', { topics: ['clicks'] });
    expect((await fetchMember(url, 'g', second.memberId)).records.map((r) => r.value)).toEqual(['p0-4', 'p0-5', 'p0-6', 'p0-7', 'p0-8', 'p0-9']);
  });

  it('resume survives a server restart (committed offsets are durable)', async () => {
    const first = await startTestServer();
    await createTopic(first.url, 'clicks', 1);
    await fillPartitions(first.url, 'clicks', 1, 5);
    const m = await join(first.url, 'g', { topics: ['clicks'] });
    expect((await commit(first.url, 'g', { memberId: m.memberId, generation: m.generation, offsets: [{ topic: 'clicks', partition: 0, offset: 3 }] })).status).toBe(200);
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir });
    const d = await describeGroup(second.url, 'g');
    expect(d).toMatchObject({ state: 'empty', members: [], offsets: [{ topic: 'clicks', partition: 0, committed: 3, endOffset: 5, lag: 2 }] });
    const again = await join(second.url, 'g', { topics: ['clicks'] });
    expect((await fetchMember(second.url, 'g', again.memberId)).records.map((r) => r.offset)).toEqual([3, 4]);
  });

  it('autoOffsetReset latest: a new group skips what was there and reads only what comes next', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 2);
    await fillPartitions(url, 'clicks', 2, 5);
    const m = await join(url, 'late', { topics: ['clicks'], autoOffsetReset: 'latest' });
    expect((await fetchMember(url, 'late', m.memberId)).records).toEqual([]);
    await fillPartitions(url, 'clicks', 2, 2, 'new-');
    expect(values((await fetchMember(url, 'late', m.memberId)).records)).toEqual(['new-p0-0', 'new-p0-1', 'new-p1-0', 'new-p1-1']);
    // The default, earliest, reads from the start.
    const e = await join(url, 'early', { topics: ['clicks'] });
    expect((await fetchMember(url, 'early', e.memberId)).records).toHaveLength(14);
  });
});

describe('listing and describing groups', () => {
  it('lists groups with live members or committed offsets, with state and member count', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 2);
    await join(url, 'b-live', { topics: ['clicks'] });
    await join(url, 'b-live', { topics: ['clicks'] });
    expect((await commit(url, 'a-committed', { offsets: [{ topic: 'clicks', partition: 0, offset: 0 }] })).status).toBe(200);
    const res = await http(url, 'GET', '/api/v1/groups');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      groups: [
        { group: 'a-committed', state: 'empty', members: 0 },
        { group: 'b-live', state: 'stable', members: 2 },
      ],
    });
  });

  it('describing an unknown group is 404 unknown_group', async () => {
    const { url } = await startTestServer();
    expectError(await http(url, 'GET', '/api/v1/groups/nobody'), 404, 'unknown_group');
  });

  it('a group whose only member left and never committed is gone again', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    const m = await join(url, 'g', { topics: ['clicks'] });
    expect((await http(url, 'DELETE', `/api/v1/groups/g/members/${m.memberId}`)).status).toBe(204);
    expectError(await http(url, 'GET', '/api/v1/groups/g'), 404, 'unknown_group');
    expect((await http(url, 'GET', '/api/v1/groups')).json).toEqual({ groups: [] });
  });

  it('deleting a topic removes the offsets groups committed for it', async () => {
    const { url } = await startTestServer();
    await createTopic(url, 'clicks', 1);
    await fillPartitions(url, 'clicks', 1, 2);
    expect((await commit(url, 'g', { offsets: [{ topic: 'clicks', partition: 0, offset: 2 }] })).status).toBe(200);
    expect((await http(url, 'DELETE', '/api/v1/topics/clicks')).status).toBe(204);
    expectError(await http(url, 'GET', '/api/v1/groups/g'), 404, 'unknown_group');
    await createTopic(url, 'clicks', 1);
    await fillPartitions(url, 'clicks', 1, 1);
    const m = await join(url, 'g', { topics: ['clicks'] });
    expect((await fetchMember(url, 'g', m.memberId)).records.map((r) => r.value)).toEqual(['p0-0']);
  });
});
