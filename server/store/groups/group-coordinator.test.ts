import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { openMetadataDb } from '../file/metadata-db.js';
import { assignRoundRobin } from './assignor.js';
import { GroupCoordinator } from './group-coordinator.js';
import { OffsetStore } from './offset-store.js';

describe('assignRoundRobin', () => {
  it('covers every partition exactly once, spread evenly, only to subscribers', () => {
    const members = [
      { memberId: 'b', topics: ['logs', 'metrics'] },
      { memberId: 'a', topics: ['logs'] },
      { memberId: 'c', topics: ['logs'] },
    ];
    const counts: Record<string, number> = { logs: 7, metrics: 2 };
    const result = assignRoundRobin(members, (t) => counts[t]!);
    const all = [...result.values()].flat().map((tp) => `${tp.topic}/${tp.partition}`);
    expect(all.sort()).toEqual([...Array.from({ length: 7 }, (_, i) => `logs/${i}`), 'metrics/0', 'metrics/1'].sort());
    expect(result.get('a')!.every((tp) => tp.topic === 'logs')).toBe(true);
    const logsPerMember = [...result.values()].map((tps) => tps.filter((tp) => tp.topic === 'logs').length);
    expect(Math.max(...logsPerMember) - Math.min(...logsPerMember)).toBeLessThanOrEqual(1);
  });
});

describe('GroupCoordinator', () => {
  const setup = () => {
    const clock = new ManualClock();
    const db: Database.Database = openMetadataDb(':memory:');
    let id = 0;
    const coordinator = new GroupCoordinator({
      clock,
      offsets: new OffsetStore(db),
      partitionsOf: (topic) => (topic === 'logs' ? 4 : null),
      newMemberId: () => `m${++id}`,
    });
    return { clock, coordinator };
  };

  it('rebalances on join and leave, bumping the generation', () => {
    const { coordinator } = setup();
    const first = coordinator.join('g', { topics: ['logs'] });
    expect(first.assignments).toHaveLength(4);
    const second = coordinator.join('g', { topics: ['logs'] });
    expect(second.generation).toBe(first.generation + 1);
    expect(coordinator.heartbeat('g', first.memberId).assignments).toHaveLength(2);
    coordinator.leave('g', second.memberId);
    expect(coordinator.heartbeat('g', first.memberId)).toMatchObject({ generation: first.generation + 2 });
    expect(coordinator.heartbeat('g', first.memberId).assignments).toHaveLength(4);
  });

  it('expires a member that stops heartbeating, by the injected clock', () => {
    const { clock, coordinator } = setup();
    const a = coordinator.join('g', { topics: ['logs'], sessionTimeoutMs: 5000 });
    const b = coordinator.join('g', { topics: ['logs'], sessionTimeoutMs: 5000 });
    clock.advance(4000);
    coordinator.heartbeat('g', a.memberId);
    clock.advance(2000);
    expect(coordinator.expireSessions()).toBe(1);
    expect(coordinator.heartbeat('g', a.memberId).assignments).toHaveLength(4);
    expect(() => coordinator.heartbeat('g', b.memberId)).toThrow(expect.objectContaining({ code: 'unknown_member' }));
  });

  it('fences commits from a stale generation', () => {
    const { coordinator } = setup();
    const a = coordinator.join('g', { topics: ['logs'] });
    coordinator.commit('g', [{ topic: 'logs', partition: 0, offset: 5 }], { memberId: a.memberId, generation: a.generation });
    coordinator.join('g', { topics: ['logs'] });
    expect(() => coordinator.commit('g', [{ topic: 'logs', partition: 0, offset: 9 }], { memberId: a.memberId, generation: a.generation })).toThrow(
      expect.objectContaining({ code: 'illegal_generation' }),
    );
  });

  it('refuses unknown topics and out-of-range session timeouts', () => {
    const { coordinator } = setup();
    expect(() => coordinator.join('g', { topics: ['nope'] })).toThrow(expect.objectContaining({ code: 'unknown_topic' }));
    expect(() => coordinator.join('g', { topics: ['logs'], sessionTimeoutMs: 10 })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('GroupCoordinator, Kafka classic protocol', () => {
  const setup = () => {
    const clock = new ManualClock();
    let id = 0;
    const coordinator = new GroupCoordinator({
      clock,
      offsets: new OffsetStore(openMetadataDb(':memory:')),
      partitionsOf: (topic) => (topic === 'logs' ? 4 : null),
      newMemberId: () => `m${++id}`,
    });
    const join = (memberId = '', assignor = 'range') =>
      coordinator.joinClassic('g', {
        memberId,
        clientId: 'client',
        clientHost: '127.0.0.1',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 20_000,
        protocolType: 'consumer',
        protocols: [{ name: assignor, metadata: Buffer.from(`sub-${memberId || 'new'}`) }],
        topics: ['logs'],
      });
    return { clock, coordinator, join };
  };

  it('holds joins until every member has rejoined; the leader gets everyone, then hands out assignments', async () => {
    const { coordinator, join } = setup();
    const first = await join();
    expect(first).toMatchObject({ memberId: 'm1', generation: 1, leaderId: 'm1', protocolName: 'range' });
    expect(first.members.map((m) => m.memberId)).toEqual(['m1']);

    let secondDone = false;
    const second = join().then((r) => ((secondDone = true), r));
    await Promise.resolve();
    expect(secondDone).toBe(false);
    expect(() => coordinator.heartbeatClassic('g', 'm1', 1)).toThrow(expect.objectContaining({ code: 'rebalance_in_progress' }));
    const rejoined = await join('m1');
    const joined = await second;
    expect([rejoined.generation, joined.generation]).toEqual([2, 2]);
    expect(rejoined.members.map((m) => m.memberId).sort()).toEqual(['m1', 'm2']);
    expect(joined.members).toEqual([]);

    const followerSync = coordinator.syncClassic('g', { memberId: 'm2', generation: 2, assignments: [] });
    const leaderSync = await coordinator.syncClassic('g', {
      memberId: 'm1',
      generation: 2,
      assignments: [
        { memberId: 'm1', assignment: Buffer.from('a1'), partitions: [{ topic: 'logs', partition: 0 }] },
        { memberId: 'm2', assignment: Buffer.from('a2'), partitions: [{ topic: 'logs', partition: 1 }] },
      ],
    });
    expect(leaderSync.assignment.toString()).toBe('a1');
    expect((await followerSync).assignment.toString()).toBe('a2');
    expect(coordinator.describeClassic('g')).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolName: 'range' });
    expect(coordinator.membersOf('g').map((m) => m.assignments)).toEqual([[{ topic: 'logs', partition: 0 }], [{ topic: 'logs', partition: 1 }]]);
    coordinator.heartbeatClassic('g', 'm2', 2);
    expect(() => coordinator.heartbeatClassic('g', 'm2', 1)).toThrow(expect.objectContaining({ code: 'illegal_generation' }));
    // Commits are fenced by the classic generation, like the HTTP members'.
    expect(() => coordinator.commit('g', [{ topic: 'logs', partition: 1, offset: 1 }], { memberId: 'm2', generation: 1 })).toThrow(expect.objectContaining({ code: 'illegal_generation' }));
  });

  it('a departure makes the others rejoin; a member that does not rejoin in time is dropped', async () => {
    const { clock, coordinator, join } = setup();
    await join();
    const pending = join();
    await join('m1');
    await pending;
    coordinator.leave('g', 'm2');
    expect(() => coordinator.heartbeatClassic('g', 'm1', 2)).toThrow(expect.objectContaining({ code: 'rebalance_in_progress' }));
    expect(await join('m1')).toMatchObject({ generation: 3, members: [{ memberId: 'm1' }] });

    // m3 joins; m1 keeps heartbeating but never rejoins: past the rebalance timeout m3 completes alone.
    const late = join();
    for (let t = 0; t < 4; t++) {
      clock.advance(5_000);
      expect(() => coordinator.heartbeatClassic('g', 'm1', 3)).toThrow(expect.objectContaining({ code: 'rebalance_in_progress' }));
      coordinator.expireSessions();
    }
    clock.advance(1_000);
    coordinator.expireSessions();
    expect(await late).toMatchObject({ memberId: 'm3', generation: 4, leaderId: 'm3' });
    expect(coordinator.membersOf('g').map((m) => m.memberId)).toEqual(['m3']);
  });

  it('keeps HTTP and Kafka members out of each other\'s live groups', async () => {
    const { coordinator, join } = setup();
    coordinator.join('g', { topics: ['logs'] });
    expect(() => join()).toThrow(expect.objectContaining({ code: 'inconsistent_group_protocol' }));
    const other = setup();
    await other.join();
    expect(() => other.coordinator.join('g', { topics: ['logs'] })).toThrow(expect.objectContaining({ code: 'inconsistent_group_protocol' }));
    expect(() => other.join('', 'roundrobin')).toThrow(expect.objectContaining({ code: 'inconsistent_group_protocol' }));
    // Once the Kafka member leaves, the group is free for HTTP members (and keeps its offsets).
    other.coordinator.leave('g', 'm1');
    expect(other.coordinator.join('g', { topics: ['logs'] }).assignments).toHaveLength(4);
  });
});
