import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { openPage, pageErrors, screenshot } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery staple';
const VIEWER_PASSWORD = 'viewer password 1234';

describe('web UI: login, setup, tokens', () => {
  it('first start: setup link → administrator; tokens made and revoked in the UI; a read-only account; logout; an ended session', async () => {
    const server = await startTestServer({ config: { auth: { enabled: true } } });
    const setupToken = server.auth.pendingSetupToken()!;
    const page = await openPage(server.url);

    // Without a session every page is the login page.
    await page.goto('/topics');
    await page.getByRole('form', { name: 'Log in' }).waitFor();
    await screenshot(page, 'login');

    // The link the server printed.
    await page.goto(`/setup?token=${setupToken}`);
    const setup = page.getByRole('form', { name: 'Create the administrator' });
    await setup.getByLabel('Password (at least 10 characters)').fill(ADMIN_PASSWORD);
    await setup.getByLabel('Password again').fill(ADMIN_PASSWORD);
    await setup.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByText('Log volume by level, last hour').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('button', { name: 'Log out' }).waitFor();

    // Access: an ingest token, shown once, works for ingest and nothing else; revoked, it stops.
    await page.getByRole('link', { name: 'Access' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API token' });
    await dialog.getByPlaceholder('agent web-1').fill('agent web-1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const token = await page.getByLabel('Token value').inputValue();
    expect(token).toMatch(/^sluice_[0-9a-f]{12}_/);
    await screenshot(page, 'access');
    const auth = { authorization: `Bearer ${token}` };
    expect((await http(server.url, 'POST', '/api/v1/logs', [{ line: 'from the agent' }], auth)).status).toBe(200);
    expect((await http(server.url, 'GET', '/api/v1/topics', undefined, auth)).status).toBe(403);
    await page.getByRole('button', { name: 'Done' }).click();
    const tokens = page.getByRole('table', { name: 'API tokens' });
    await tokens.getByText('agent web-1').waitFor();
    expect(await tokens.textContent()).not.toContain(token);
    await tokens.getByRole('button', { name: 'Revoke agent web-1' }).click();
    await tokens.getByText(/^revoked/).waitFor();
    expect((await http(server.url, 'POST', '/api/v1/logs', [{ line: 'after revocation' }], auth)).status).toBe(401);

    // A read-only account.
    await page.getByRole('button', { name: 'Add account' }).click();
    const add = page.getByRole('dialog', { name: 'Add account' });
    await add.getByLabel('User name').fill('viewer');
    await add.getByLabel('Password (at least 10 characters)').fill(VIEWER_PASSWORD);
    await add.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('table', { name: 'Accounts' }).getByText('viewer').waitFor();

    // Logout ends the session; the login page refuses a wrong password, then lets the viewer in.
    await page.getByRole('button', { name: 'Log out' }).click();
    const login = page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('User name').fill('viewer');
    await login.getByLabel('Password').fill('not the password');
    await login.getByRole('button', { name: 'Log in' }).click();
    await login.getByText('wrong username or password').waitFor();
    await login.getByLabel('Password').fill(VIEWER_PASSWORD);
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.getByRole('link', { name: 'Access' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.getByRole('table', { name: 'Topics' }).getByRole('link', { name: 'logs' }).waitFor();

    // The session ends on the server (a password change ends them all): the next request shows the login page.
    await server.auth.users.setPassword('viewer', 'a brand new password');
    await page.getByRole('form', { name: 'Log in' }).waitFor({ timeout: 15_000 });
    expect(pageErrors(page)).toEqual([]);
  }, 90_000);
});
