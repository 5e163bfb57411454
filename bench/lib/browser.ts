import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, for benchmarks that time the web UI: the bench-side twin
 * of test/e2e/browser.ts, which fails where a benchmark skips. No browser is ever downloaded.
 */
export const CHROMIUM = '/usr/bin/chromium';
/** The built UI the server serves at its root (this file runs from dist/bench/lib/). */
export const UI_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Why a browser phase cannot run on this machine, or null when it can. */
export function browserUnavailable(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) return `the web UI is not built (${UI_DIST}/index.html missing: npm run build)`;
  return null;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
