import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { openPage, pageErrors, screenshot } from './browser.js';

const RULES = `groups:
  - name: ui-test
    interval: 1s
    rules:
      - alert: CheckoutErrors
        expr: sum by (service) (count_over_time({service="checkout", level="error"}[5m])) > 0
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.service }}: {{ $value }} errors in 5 minutes"
`;

describe('web UI: alerts, silences, rules', () => {
  it('silences a firing alert and shows it marked; the rule editor and rule files show errors', async () => {
    const rulesDir = tempDir();
    fs.writeFileSync(path.join(rulesDir, 'ui.yaml'), RULES);
    // A file with a mistake: the UI reports it with file:line:col.
    fs.writeFileSync(path.join(rulesDir, 'broken.yaml'), 'groups:\n  - name: broken\n    rules:\n      - alert: Bad\n        expr: sum(count_over_time({a="b"}[5m]) >\n');
    const server = await startTestServer({ config: { rulesDir } });
    const now = Date.now();
    const errors = Array.from({ length: 5 }, (_, i) => ({ ts: (now - 60_000 - 1000 * i) * 1_000_000, line: `payment declined ${i}`, labels: { service: 'checkout', level: 'error' } }));
    expect((await http(server.url, 'POST', '/api/v1/logs', errors)).status).toBe(200);

    const page = await openPage(server.url);
    await page.goto('/alerts');
    const table = page.getByRole('table', { name: 'Alerts of CheckoutErrors' });
    await table.getByText('firing').waitFor({ timeout: 20_000 });
    expect(await table.textContent()).toContain('checkout: 5 errors in 5 minutes');
    await screenshot(page, 'alerts');

    // Silence it from the alert: the matchers come pre-filled and the preview shows what it mutes.
    await table.getByRole('button', { name: 'Silence…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New silence' });
    expect(await dialog.getByLabel('Matcher 1 label').inputValue()).toBe('alertname');
    expect(await dialog.getByLabel('Matcher 1 value').inputValue()).toBe('CheckoutErrors');
    await dialog.getByText('Mutes 1 active alert(s) now:').waitFor();
    await dialog.getByPlaceholder('your name').fill('e2e');
    await dialog.getByPlaceholder('why, and until when').fill('payment provider incident');
    await screenshot(page, 'silence-dialog');
    await dialog.getByRole('button', { name: 'Create silence' }).click();
    await dialog.waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'silenced' }).waitFor();

    await page.getByRole('link', { name: 'Silences' }).click();
    const silences = page.getByRole('table', { name: 'Silences' });
    await silences.getByText('payment provider incident').waitFor();
    expect(await silences.textContent()).toContain('alertname="CheckoutErrors"');
    await screenshot(page, 'silences');
    await silences.getByRole('button', { name: 'Expire' }).click();
    await page.getByText('No active silence.').waitFor();

    // Rules: the loaded rule, the broken file's problem, and the editor checking as you type.
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('alert', { name: 'Rule file problems' }).getByText(/broken\.yaml:5:\d+:/).waitFor();
    const rules = page.getByRole('table', { name: 'Rules of ui-test' });
    await rules.getByText('CheckoutErrors').waitFor();
    await rules.getByRole('button', { name: 'Edit & test' }).click();
    const editor = page.getByRole('region', { name: 'Rule editor' });
    await editor.getByRole('status', { name: 'Rule check status' }).getByText('Valid').waitFor({ timeout: 15_000 });
    await editor.getByLabel('Backtest').getByText(/it would have fired 1 time/).waitFor();
    await screenshot(page, 'rules');
    await editor.getByLabel('Expression').fill('sum by (service) (count_over_time({service="checkout"}[5m]) > ');
    const problems = editor.getByRole('alert', { name: 'Rule problems' });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/^expr: /);
    await editor.getByRole('status', { name: 'Rule check status' }).getByText('Has problems').waitFor();
    await screenshot(page, 'rule-editor-error');
    expect(pageErrors(page)).toEqual([]);
  });
});
