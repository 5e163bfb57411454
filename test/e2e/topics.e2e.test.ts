import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { openPage, pageErrors, screenshot } from './browser.js';

describe('web UI: topics', () => {
  it('lists topics, shows a partition and pages through its records', async () => {
    const server = await startTestServer();
    await http(server.url, 'POST', '/api/v1/topics', { name: 'orders', partitions: 3 });
    const records = Array.from({ length: 120 }, (_, i) => ({ value: i === 7 ? '<b>bold?</b> \u001b[31mred' : { order: i, note: 'ok' }, key: `k${i}`, partition: 1 }));
    expect((await http(server.url, 'POST', '/api/v1/topics/orders/records', { records })).status).toBe(200);

    const page = await openPage(server.url);
    await page.goto('/topics');
    const row = page.getByRole('row', { name: /orders/ });
    await row.getByRole('link', { name: 'orders' }).waitFor();
    await expect.poll(() => row.textContent()).toContain('120');
    await screenshot(page, 'topics');

    await row.getByRole('link', { name: 'orders' }).click();
    await page.waitForURL('**/topics/orders');
    await page.getByRole('table', { name: 'Partitions' }).waitFor();
    await screenshot(page, 'topic');

    await page.getByRole('row', { name: /^1 / }).getByRole('link', { name: 'Browse records' }).click();
    await page.waitForURL('**/topics/orders/partitions/1');
    const table = page.getByRole('table', { name: 'Records' });
    await table.getByRole('cell', { name: '49', exact: true }).waitFor();
    // Untrusted record text is shown as text: the markup and the escape are visible, not applied.
    await expect.poll(() => table.textContent()).toContain('<b>bold?</b> ^[[31mred');
    expect(await page.locator('table b').count()).toBe(0);
    await screenshot(page, 'partition');

    await page.getByRole('button', { name: 'Next →' }).click();
    await table.getByRole('cell', { name: '99', exact: true }).waitFor();
    expect(page.url()).toContain('offset=50');
    await page.getByLabel('Jump to offset').fill('110');
    await page.getByRole('button', { name: 'Go' }).click();
    await table.getByRole('cell', { name: '119', exact: true }).waitFor();
    expect(await table.getByRole('cell', { name: '109', exact: true }).count()).toBe(0);

    // Create a topic, then delete it (the name must be typed to confirm).
    await page.goto('/topics');
    await page.getByRole('button', { name: 'Create topic' }).click();
    const create = page.getByRole('dialog', { name: 'Create topic' });
    await create.getByLabel('Name').fill('bad name!');
    expect(await create.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
    await create.getByLabel('Name').fill('ui.created');
    await create.getByLabel('Partitions').fill('2');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('table', { name: 'Topics' }).getByRole('link', { name: 'ui.created' }).click();
    await page.waitForURL('**/topics/ui.created');
    await page.getByRole('button', { name: 'Delete topic' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete topic ui.created?' });
    expect(await confirm.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await confirm.getByLabel('Topic name to confirm').fill('ui.created');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/topics$/);
    await page.getByRole('table', { name: 'Topics' }).getByRole('link', { name: 'orders' }).waitFor();
    expect(await page.getByRole('link', { name: 'ui.created' }).count()).toBe(0);
    expect((await http(server.url, 'GET', '/api/v1/topics/ui.created')).status).toBe(404);
    expect(pageErrors(page)).toEqual([]);
  });
});
