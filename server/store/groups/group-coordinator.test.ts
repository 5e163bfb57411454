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
