import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { PROJECT_ROOT, UI_DIST } from '../helpers/project-paths.js';

export { CHROMIUM, UI_DIST };
/**
 * Where the e2e run saves its page screenshots: a temp dir by default, so a test run leaves the
 * checkout clean; `SLUICE_SCREENSHOTS=docs/screenshots npm test` refreshes the ones the docs show.
 */
export const SCREENSHOTS = process.env.SLUICE_SCREENSHOTS ? path.resolve(PROJECT_ROOT, process.env.SLUICE_SCREENSHOTS) : path.join(os.tmpdir(), 'sluice-e2e-screenshots');

let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  browser = null;
});

/**
 * The shared browser of a test file. Fails (never skips) when Chromium or the built UI is missing, with
 * the command that fixes it.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`the web UI's end-to-end tests need Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does)`);
  }
  if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) throw new Error(`the web UI is not built (${UI_DIST}): run "npm run build"`);
  browser ??= await launchChromium();
  return browser;
}

/** A fresh page at the laptop size the issue asks every page to work on; page errors fail the test. */
export async function openPage(baseUrl: string, options: { width?: number; height?: number; colorScheme?: 'dark' | 'light' } = {}): Promise<Page> {
  const b = await launchBrowser();
  const context = await b.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'dark',
  });
  const page = await context.newPage();
  // Fail a wait with its own message well before the test's timeout.
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  errorsOf.set(page, errors);
  return page;
}

const errorsOf = new WeakMap<Page, string[]>();

/** Uncaught exceptions and console errors of a page so far: a test ends by expecting none. */
export function pageErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
