import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core; no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** Starts Chromium headless, for the e2e tests and the benchmarks that time the web UI. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
