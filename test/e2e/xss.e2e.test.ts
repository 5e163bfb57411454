import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { launchBrowser } from './browser.js';

/**
 * Untrusted text (log lines, label values, rule group names, annotations, silence comments, consumer
 * group names, host names) is ingested with script payloads, then every page is opened. The browser
 * context bypasses the Content-Security-Policy, so this checks the rendering itself: with the policy
 * off, any payload that became markup would run. A second pass with the policy on checks that it
 * reports no violation (nothing even tried).
 */
const PAYLOADS = [
  `<script>window.__xss('script')</script>`,
  `<img src=x onerror="window.__xss('img')">`,
  `"><svg onload="window.__xss('svg')">`,
  `'><details open ontoggle="window.__xss('details')">`,
  `<iframe srcdoc="<script>parent.__xss('iframe')</script>"></iframe>`,
  `javascript:window.__xss('href')`,
  `<a href="javascript:window.__xss('a')">click me</a>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss('mxss')">`,
  `{{constructor.constructor('window.__xss("template")')()}}`,
  `\u001b]8;;javascript:window.__xss('osc8')\u001b\\link\u001b]8;;\u001b\\`,
  `<style>*{background:url("javascript:window.__xss('css')")}</style>`,
];
const ALL = PAYLOADS.join(' ');
/** Annotations are templates, which refuse `{{…}}` actions they do not know: that payload goes into the broken file. */
const NO_TEMPLATE = PAYLOADS.filter((p) => !p.startsWith('{{')).join(' ');

const RULES = `groups:
  - name: ${JSON.stringify(`group ${PAYLOADS[1]} ${PAYLOADS[2]}`)}
    interval: 1s
    rules:
      - alert: XssProbe
        expr: sum by (service, payload) (count_over_time({service="xss"}[10m])) > 0
        labels:
          severity: ${JSON.stringify(PAYLOADS[1])}
        annotations:
          summary: ${JSON.stringify(`{{ $labels.payload }} ${PAYLOADS[2]}`)}
          description: ${JSON.stringify(NO_TEMPLATE)}
`;

async function seed(url: string, rulesDirLoaded: () => Promise<void>) {
  const now = Date.now();
  const lines = PAYLOADS.map((payload, i) => ({
    ts: (now - 60_000 + i) * 1_000_000,
    line: `user said ${payload}`,
    labels: { service: 'xss', payload, level: 'error' },
    fields: { [`f${i}`]: payload, json: { nested: payload } },
  }));
  expect((await http(url, 'POST', '/api/v1/logs', lines)).status).toBe(200);
  const samples = PAYLOADS.flatMap((payload, i) =>
    ['node_cpu_percent', 'node_memory_used_percent'].map((name) => ({ name, value: 10 + i, ts: (now - 30_000) * 1_000_000, labels: { host: payload } })),
  );
  expect((await http(url, 'POST', '/api/v1/metrics', samples)).status).toBe(200);
  const group = encodeURIComponent(PAYLOADS[1]!);
  expect((await http(url, 'POST', `/api/v1/groups/${group}/members`, { topics: ['logs'], clientId: PAYLOADS[0] })).status).toBe(201);
  const silence = { matchers: [`payload=${JSON.stringify(PAYLOADS[3])}`], createdBy: PAYLOADS[4], comment: ALL, endsAt: new Date(now + 3_600_000).toISOString() };
  expect((await http(url, 'POST', '/api/v1/silences', silence)).status).toBe(201);
  await rulesDirLoaded();
}

/** Everything a page could do with an injected payload, recorded by the page itself. */
const PROBE = `
  window.__xssHits = [];
  window.__xss = (what) => window.__xssHits.push(String(what));
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
`;

/** Markup that can only have come from a payload: event handlers, javascript: URLs, frames, foreign scripts. Runs in the page. */
const FIND_INJECTED = `(() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(el.tagName + ' ' + attr.name);
      if (/^\\s*javascript:/i.test(attr.value)) found.push(el.tagName + ' ' + attr.name + '=' + attr.value.slice(0, 40));
    }
    if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) found.push(el.tagName);
    if (el.tagName === 'SCRIPT' && !el.src.includes('/assets/')) found.push('SCRIPT');
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') found.push('IMG src=x');
    if (el.tagName === 'STYLE' && el.closest('#root')) found.push('STYLE in #root');
  }
  return found;
})()`;

async function injectedMarkup(page: Page): Promise<string[]> {
  return (await page.evaluate(FIND_INJECTED)) as string[];
}

const PAGES: Array<{ url: string; ready: (page: Page) => Promise<void> }> = [
  { url: '/', ready: (p) => p.getByText('Log volume by level, last hour').waitFor() },
  {
    url: `/explore?query=${encodeURIComponent('{service="xss"}')}`,
    ready: async (p) => {
      const lines = p.getByRole('list', { name: 'Log lines' }).getByRole('listitem');
      await lines.first().waitFor();
      // Open the details of a few lines: fields, labels and JSON render there.
      for (let i = 0; i < 3; i++) await lines.nth(i).click();
    },
  },
  { url: '/topics', ready: (p) => p.getByRole('table', { name: 'Topics' }).getByRole('link', { name: 'logs' }).waitFor() },
  { url: '/topics/logs', ready: (p) => p.getByRole('heading', { name: 'logs' }).first().waitFor() },
  ...[0, 1, 2, 3, 4, 5].map((partition) => ({ url: `/topics/logs/partitions/${partition}`, ready: (p: Page) => p.getByRole('heading').first().waitFor() })),
  { url: '/groups', ready: (p) => p.getByRole('table', { name: 'Consumer groups' }).waitFor() },
  { url: `/groups/${encodeURIComponent(PAYLOADS[1]!)}`, ready: (p) => p.getByRole('table', { name: 'Members' }).waitFor() },
  { url: '/alerts', ready: (p) => p.getByText('XssProbe').first().waitFor({ timeout: 20_000 }) },
  { url: '/silences', ready: (p) => p.getByRole('table', { name: 'Silences' }).waitFor() },
  { url: '/rules', ready: (p) => p.getByText('XssProbe').first().waitFor() },
  {
    url: '/hosts',
    ready: async (p) => {
      const hosts = p.getByRole('table', { name: 'Hosts' });
      await hosts.waitFor();
      // A host's charts carry its name in titles and legends.
      await hosts.getByRole('button').first().click();
    },
  },
  { url: '/access', ready: (p) => p.getByRole('heading', { name: 'Access' }).waitFor() },
  { url: `/${encodeURIComponent(PAYLOADS[1]!)}`, ready: (p) => p.getByText('There is no page at this address.').waitFor() },
];

describe('web UI: XSS', () => {
  it('renders a payload corpus in log lines, labels, fields, rules, alerts, silences, groups and hosts as text, executing nothing', async () => {
    const rulesDir = tempDir();
    fs.writeFileSync(path.join(rulesDir, 'xss.yaml'), RULES);
    // A file whose error message quotes the payload back: the Rules page shows it.
    fs.writeFileSync(path.join(rulesDir, 'broken.yaml'), `groups:\n  - name: broken\n    rules:\n      - alert: ${JSON.stringify(PAYLOADS[1])}\n        expr: vector(1)\n`);
    fs.writeFileSync(path.join(rulesDir, 'template.yaml'), `groups:\n  - name: t\n    rules:\n      - alert: T\n        expr: vector(1)\n        annotations:\n          summary: ${JSON.stringify(ALL)}\n`);
    const server = await startTestServer({ config: { rulesDir } });
    await seed(server.url, async () => {
      // The rule must have evaluated and fired for the Alerts page to show its payloads.
      for (let i = 0; i < 200; i++) {
        const alerts = await http(server.url, 'GET', '/api/v1/alerts');
        if (JSON.stringify(alerts.json).includes('XssProbe')) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the XSS probe rule never fired: ' + JSON.stringify((await http(server.url, 'GET', '/api/v1/rules')).json).slice(0, 3000));
    });

    const browser = await launchBrowser();
    for (const bypassCSP of [true, false]) {
      const context = await browser.newContext({ baseURL: server.url, bypassCSP, viewport: { width: 1280, height: 800 } });
      await context.addInitScript(PROBE);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      // The probe itself: markup injected on purpose is caught (run with the policy off, blocked and reported with it on).
      await page.goto('/');
      await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<img id="probe" src="x" onerror="window.__xss(1)">')`);
      if (bypassCSP) await expect.poll(() => page.evaluate('window.__xssHits.length')).toBe(1);
      else await expect.poll(() => page.evaluate('window.__violations.length')).toBeGreaterThan(0);
      expect(await injectedMarkup(page)).toContain('IMG onerror');
      for (const { url, ready } of PAGES) {
        await page.goto(url);
        await ready(page);
        // Let lazy renders (charts, details, tooltips) settle.
        await page.waitForTimeout(150);
        const where = `${url} (CSP ${bypassCSP ? 'bypassed' : 'on'})`;
        expect(await page.evaluate('window.__xssHits'), where).toEqual([]);
        expect(await injectedMarkup(page), where).toEqual([]);
        if (!bypassCSP) expect(await page.evaluate('window.__violations'), where).toEqual([]);
      }
      // The payload text itself is on screen, as text.
      await page.goto(`/explore?query=${encodeURIComponent('{service="xss"}')}`);
      await page.getByText(`user said ${PAYLOADS[0]}`).first().waitFor();
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 120_000);
});
