import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { openPage, pageErrors, screenshot } from './browser.js';
import { generateLogs, ingestLogs } from './log-data.js';

/** Agent-like host metrics: every 15 s over the last 20 minutes, for two hosts. */
function hostMetrics(nowMs: number) {
  const samples: unknown[] = [];
  for (let t = nowMs - 20 * 60_000; t < nowMs; t += 15_000) {
    for (const [i, host] of ['web-0', 'web-1'].entries()) {
      const ts = t * 1_000_000;
      const wave = Math.sin(t / 120_000 + i);
      samples.push(
        { name: 'node_cpu_percent', value: 35 + 25 * wave, ts, labels: { host } },
        { name: 'node_memory_used_percent', value: 60 + 5 * wave, ts, labels: { host } },
        { name: 'node_load1', value: 1.2 + wave, ts, labels: { host } },
        { name: 'node_filesystem_used_percent', value: 71 + i * 22, ts, labels: { host, mountpoint: '/', fstype: 'ext4' } },
        { name: 'node_filesystem_used_percent', value: 12, ts, labels: { host, mountpoint: '/boot', fstype: 'ext4' } },
      );
    }
  }
  return samples;
}

describe('web UI: overview, groups, hosts, themes', () => {
  it('shows the system at a glance, consumer group lag, host charts, in both themes and on a phone', async () => {
    const server = await startTestServer();
    const now = Date.now();
    await ingestLogs(server.url, generateLogs(3000, now));
    expect((await http(server.url, 'POST', '/api/v1/metrics', hostMetrics(now))).status).toBe(200);
    // A consumer group that read part of the logs topic.
    const join = await http(server.url, 'POST', '/api/v1/groups/billing/members', { topics: ['logs'], clientId: 'billing-1' });
    expect(join.status).toBe(201);
    expect((await http(server.url, 'POST', '/api/v1/groups/billing/offsets', { offsets: [{ topic: 'logs', partition: 0, offset: 10 }] })).status).toBe(200);

    const page = await openPage(server.url);
    await page.goto('/');
    await page.getByText('Log volume by level, last hour').waitFor();
    await page.getByRole('img', { name: 'Log volume by level' }).locator('canvas').waitFor();
    // The ingest chart needs two polls of /metrics; produce in between so it has something to draw.
    await ingestLogs(server.url, generateLogs(500, Date.now()));
    await page.getByRole('img', { name: 'Ingest rate chart' }).locator('canvas').waitFor({ timeout: 15_000 });
    await page.getByRole('table', { name: 'Consumer lag' }).getByText('billing').waitFor();
    await screenshot(page, 'overview');

    await page.getByRole('link', { name: 'Consumer groups' }).click();
    await page.getByRole('table', { name: 'Consumer groups' }).getByRole('link', { name: 'billing' }).click();
    await page.getByRole('table', { name: 'Members' }).getByText('billing-1').waitFor();
    const offsets = page.getByRole('table', { name: 'Offsets' });
    await offsets.getByRole('row').nth(1).waitFor();
    expect(await offsets.getByRole('row').count()).toBeGreaterThan(1);
    await screenshot(page, 'group');
    // Reset the group to the latest offsets: its lag drops to 0.
    await page.getByRole('button', { name: 'Reset offsets' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset offsets of billing' });
    await reset.getByText('The group has 1 live member(s).').waitFor();
    await reset.getByRole('radio', { name: 'latest' }).check();
    await reset.getByRole('button', { name: 'Reset' }).click();
    await reset.waitFor({ state: 'detached' });
    const described = await http(server.url, 'GET', '/api/v1/groups/billing');
    expect(described.json.offsets.every((o: { lag: number }) => o.lag === 0)).toBe(true);

    await page.goto('/hosts');
    const hosts = page.getByRole('table', { name: 'Hosts' });
    await hosts.getByRole('button', { name: 'web-1' }).waitFor();
    await hosts.getByRole('button', { name: 'web-1' }).click();
    expect(page.url()).toContain('host=web-1');
    for (const chart of ['CPU used chart', 'Memory used chart', 'Disk used, per mount point chart', 'Log lines chart']) {
      await page.getByRole('img', { name: chart }).locator('canvas').waitFor();
    }
    // web-1's root filesystem is 93% full.
    await expect.poll(() => hosts.getByRole('row', { name: /web-1/ }).textContent()).toContain('93.0%');
    await screenshot(page, 'hosts');

    // Light theme, remembered across loads; and a phone-width layout with no horizontal page scroll.
    await page.getByRole('button', { name: 'Switch colour theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('light');
    await page.goto('/topics');
    await page.getByRole('table', { name: 'Topics' }).getByRole('link', { name: 'logs' }).waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('light');
    await screenshot(page, 'topics-light');

    const phone = await openPage(server.url, { width: 390, height: 844 });
    await phone.goto(`/explore?query=${encodeURIComponent('{service="auth"}')}`);
    await phone.getByRole('list', { name: 'Log lines' }).getByRole('listitem').first().waitFor();
    expect(Number(await phone.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    await screenshot(phone, 'explore-phone');
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(phone)).toEqual([]);
  });
});
