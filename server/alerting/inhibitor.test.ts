import { describe, expect, it } from 'vitest';
import { toAlert, type Alert } from './alert.js';
import { Inhibitor } from './inhibitor.js';
import { parseMatchers } from './matcher.js';

const NOW = 1_700_000_000_000;

function alert(labels: Record<string, string>, endsAt?: number): Alert {
  return toAlert({ labels, endsAt }, NOW, 300_000) as Alert;
}

describe('Inhibitor', () => {
  const rule = { sourceMatchers: parseMatchers('severity="critical"'), targetMatchers: parseMatchers('severity="warning"'), equal: ['alertname', 'cluster'] };

  it('mutes targets while a firing source agrees on the equal labels', () => {
    const inhibitor = new Inhibitor([rule]);
    const source = alert({ alertname: 'Disk', cluster: 'c1', severity: 'critical' });
    inhibitor.observe(source);
    expect(inhibitor.inhibitedBy({ alertname: 'Disk', cluster: 'c1', severity: 'warning' }, NOW)).toBe(source.fingerprint);
    expect(inhibitor.inhibitedBy({ alertname: 'Disk', cluster: 'c2', severity: 'warning' }, NOW)).toBeNull();
    expect(inhibitor.inhibitedBy({ alertname: 'Disk', cluster: 'c1', severity: 'info' }, NOW)).toBeNull();
    // The source itself is not a target.
    expect(inhibitor.inhibitedBy(source.labels, NOW)).toBeNull();
  });

  it('treats a label absent on both sides as equal', () => {
    const inhibitor = new Inhibitor([rule]);
    inhibitor.observe(alert({ alertname: 'Disk', severity: 'critical' }));
    expect(inhibitor.inhibitedBy({ alertname: 'Disk', severity: 'warning' }, NOW)).not.toBeNull();
    expect(inhibitor.inhibitedBy({ alertname: 'Disk', cluster: 'c1', severity: 'warning' }, NOW)).toBeNull();
  });

  it('stops once the source resolves', () => {
    const inhibitor = new Inhibitor([rule]);
    inhibitor.observe(alert({ alertname: 'Disk', cluster: 'c1', severity: 'critical' }, NOW + 1000));
    const target = { alertname: 'Disk', cluster: 'c1', severity: 'warning' };
    expect(inhibitor.inhibitedBy(target, NOW + 999)).not.toBeNull();
    expect(inhibitor.inhibitedBy(target, NOW + 1000)).toBeNull();
    // A new version that no longer matches the source side removes it too.
    inhibitor.observe(alert({ alertname: 'Disk', cluster: 'c1', severity: 'critical' }));
    inhibitor.observe(alert({ alertname: 'Disk', cluster: 'c1', severity: 'critical', x: '1' }));
    expect(inhibitor.inhibitedBy(target, NOW)).not.toBeNull();
    inhibitor.gc(NOW + 10 * 60_000);
    expect(inhibitor.inhibitedBy(target, NOW + 10 * 60_000)).toBeNull();
  });

  it('does not let alerts matching both sides inhibit each other', () => {
    const both = new Inhibitor([{ sourceMatchers: parseMatchers('team="db"'), targetMatchers: parseMatchers('team="db"'), equal: ['alertname'] }]);
    const a = alert({ alertname: 'X', team: 'db', instance: 'a' });
    const b = alert({ alertname: 'X', team: 'db', instance: 'b' });
    both.observe(a);
    both.observe(b);
    expect(both.inhibitedBy(a.labels, NOW)).toBeNull();
    expect(both.inhibitedBy(b.labels, NOW)).toBeNull();
  });
});
