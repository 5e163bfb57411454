import { describe, expect, it } from 'vitest';
import { alertingConfigSchema } from './alerting-config.js';
import { Route } from './route.js';

/** Builds the routing tree from an alertmanager.yml-shaped `route:` (receivers named r0..r9 exist). */
function tree(route: unknown): Route {
  const receivers = Array.from({ length: 10 }, (_, i) => ({ name: `r${i}` }));
  return new Route(alertingConfigSchema.parse({ route, receivers }).route);
}

const receivers = (root: Route, labels: Record<string, string>) => root.match(labels).map((r) => r.options.receiver);

describe('Route', () => {
  const root = tree({
    receiver: 'r0',
    group_by: ['alertname'],
    routes: [
      { matchers: ['severity="page"'], receiver: 'r1', continue: true },
      {
        matchers: ['service=~"api|web"'],
        receiver: 'r2',
        routes: [
          { matchers: ['env="prod"'], receiver: 'r3' },
          { match_re: { env: 'stag.*' }, receiver: 'r4' },
        ],
      },
      { match: { team: 'db' }, receiver: 'r5' },
      { matchers: ['team="db"'], receiver: 'r6' },
    ],
  });

  it('falls back to the root when no child matches', () => {
    expect(receivers(root, { alertname: 'X' })).toEqual(['r0']);
  });

  it('stops at the first matching child, unless it has continue', () => {
    expect(receivers(root, { team: 'db' })).toEqual(['r5']);
    expect(receivers(root, { severity: 'page', team: 'db' })).toEqual(['r1', 'r5']);
    expect(receivers(root, { severity: 'page' })).toEqual(['r1']);
  });

  it('descends into nested routes; a parent with no matching child is the match itself', () => {
    expect(receivers(root, { service: 'api', env: 'prod' })).toEqual(['r3']);
    expect(receivers(root, { service: 'web', env: 'staging' })).toEqual(['r4']);
    expect(receivers(root, { service: 'web', env: 'dev' })).toEqual(['r2']);
    expect(receivers(root, { service: 'webx', env: 'prod' })).toEqual(['r0']);
    expect(receivers(root, { severity: 'page', service: 'api', env: 'prod' })).toEqual(['r1', 'r3']);
  });

  it('inherits options from the parent and overrides what a child sets', () => {
    const t = tree({
      receiver: 'r0',
      group_by: ['alertname'],
      group_wait: '10s',
      repeat_interval: '1h',
      routes: [{ matchers: ['a="1"'], group_wait: '1s', routes: [{ matchers: ['b="2"'], group_by: ['...'], receiver: 'r1' }] }],
    });
    const [child] = t.match({ a: '1' });
    expect(child!.options).toMatchObject({ receiver: 'r0', groupWaitMs: 1000, groupIntervalMs: 300_000, repeatIntervalMs: 3_600_000 });
    expect([...(child!.options.groupBy as Set<string>)]).toEqual(['alertname']);
    const [grandchild] = t.match({ a: '1', b: '2' });
    expect(grandchild!.options).toMatchObject({ receiver: 'r1', groupWaitMs: 1000, groupBy: 'all' });
    expect(t.options).toMatchObject({ groupWaitMs: 10_000, groupIntervalMs: 300_000 });
  });

  it("uses Alertmanager's route keys: parent key, '/', sorted matchers", () => {
    const t = tree({ receiver: 'r0', routes: [{ matchers: ['team="db"', 'severity=~"page|crit"'], routes: [{ matchers: ['env!="dev"'] }] }] });
    const [leaf] = t.match({ team: 'db', severity: 'page', env: 'prod' });
    expect(leaf!.key).toBe('{}/{severity=~"page|crit",team="db"}/{env!="dev"}');
    expect(t.key).toBe('{}');
  });

  it('groups by the group_by labels, or by all labels with ...', () => {
    const t = tree({ receiver: 'r0', group_by: ['alertname', 'cluster'], routes: [{ matchers: ['all="yes"'], group_by: ['...'] }] });
    expect(t.groupLabels({ alertname: 'A', cluster: 'c1', instance: 'i' })).toEqual({ alertname: 'A', cluster: 'c1' });
    expect(t.groupLabels({ instance: 'i' })).toEqual({});
    const [all] = t.match({ all: 'yes', x: '1' });
    expect(all!.groupLabels({ all: 'yes', x: '1' })).toEqual({ all: 'yes', x: '1' });
  });
});
