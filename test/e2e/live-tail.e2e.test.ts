import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { openPage, pageErrors, screenshot } from './browser.js';
import { generateLogs, ingestLogs } from './log-data.js';

describe('web UI: live tail', () => {
  it('shows a line ingested while tailing, and holds new lines while paused', async () => {
    const server = await startTestServer();
    await ingestLogs(server.url, generateLogs(200, Date.now()));
    const page = await openPage(server.url);
    await page.goto(`/explore?query=${encodeURIComponent('{service="auth"}')}&live=1`);
    const status = page.getByRole('status', { name: 'Live tail status' });
    await expect.poll(() => status.textContent()).toContain('live');

    const send = (line: string) => http(server.url, 'POST', '/api/v1/logs', [{ line, labels: { service: 'auth', level: 'warn' } }]);
    expect((await send('login failed for user=\u001b[31mmallory\u001b[0m from 10.0.0.7')).status).toBe(200);
    const lines = page.getByRole('list', { name: 'Live lines' });
    await lines.getByText('login failed for user=^[[31mmallory^[[0m from 10.0.0.7').waitFor();
    // Another stream's lines do not show.
    await http(server.url, 'POST', '/api/v1/logs', [{ line: 'not for this tail', labels: { service: 'search' } }]);
    await screenshot(page, 'explore-live');

    await page.getByRole('button', { name: 'Pause' }).click();
    expect((await send('arrived while paused')).status).toBe(200);
    await page.getByRole('button', { name: 'Resume (1 new)' }).waitFor();
    expect(await lines.getByText('arrived while paused').count()).toBe(0);
    await page.getByRole('button', { name: /^Resume/ }).click();
    await lines.getByText('arrived while paused').waitFor();
    expect(await lines.getByText('not for this tail').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
