import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { openPage, pageErrors, screenshot } from './browser.js';
import { generateLogs, ingestLogs } from './log-data.js';

const LINES = 30_000;

describe('web UI: explore', () => {
  it('runs a query: lines, histogram, details, context, metric chart, syntax error', async () => {
    const server = await startTestServer();
    await ingestLogs(server.url, generateLogs(LINES, Date.now()));
    const page = await openPage(server.url);
    await page.goto('/explore');

    // `/` focuses the query box from anywhere; Enter runs the query.
    await page.locator('body').click();
    await page.keyboard.press('/');
    const box = page.getByLabel('LogQL query');
    expect(await box.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);

    // Label names and values complete inside the selector.
    await box.fill('{serv');
    await page.getByRole('listbox', { name: 'Label names' }).getByRole('option', { name: 'service' }).waitFor();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('{service=""');
    await page.getByRole('listbox', { name: 'Label values' }).getByRole('option', { name: 'checkout' }).click();
    expect(await box.inputValue()).toBe('{service="checkout"');
    await box.press('End');
    await box.type('}');
    await box.press('Enter');

    const list = page.getByRole('list', { name: 'Log lines' });
    await list.getByRole('listitem').first().waitFor();
    expect(page.url()).toContain('query=%7Bservice%3D%22checkout%22%7D');
    await page.getByText('1000 line(s)').waitFor();
    // 10,000 checkout lines match: the result is truncated, so the histogram counts on the server.
    await page.getByText('10.0k matching line(s)').waitFor();
    expect(await page.getByRole('img', { name: 'Log volume by level' }).locator('canvas').count()).toBe(1);
    // Only the visible lines are in the DOM.
    expect(await list.getByRole('listitem').count()).toBeLessThan(120);
    await screenshot(page, 'explore');

    // Expand a line: labels, the JSON pretty-printed, context around it.
    const first = list.getByRole('listitem').first();
    await first.locator('.log-line-main').click();
    await first.getByRole('button', { name: 'Show context' }).waitFor();
    expect(await first.locator('table.kv').textContent()).toContain('servicecheckout');
    await first.getByRole('button', { name: 'Show context' }).click();
    const context = page.getByRole('list', { name: 'Context lines' });
    await context.getByRole('listitem').first().waitFor();
    expect(await context.locator('.log-line.highlighted').count()).toBe(1);
    await page.keyboard.press('Escape');

    // A metric query draws a chart.
    await box.fill('sum by (level) (count_over_time({service="checkout"}[1m]))');
    await box.press('Enter');
    await page.getByRole('img', { name: 'Query result chart' }).locator('canvas').waitFor();
    // info, warn, error, debug.
    await page.getByText(/^4 series/).waitFor();
    await screenshot(page, 'explore-metric');

    // A syntax error is shown at its position.
    await box.fill('{service="checkout"} |= ');
    await box.press('Enter');
    const error = page.getByRole('alert').filter({ hasText: 'parse error' });
    await error.waitFor();
    expect(await error.getByLabel('Error position').count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
  });
});
