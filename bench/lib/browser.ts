import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM } from '../../test/helpers/chromium.js';
import { UI_DIST } from '../../test/helpers/project-paths.js';

export { launchChromium } from '../../test/helpers/chromium.js';

/**
 * Why a browser phase of a benchmark cannot run on this machine, or null when it can: a benchmark
 * skips (and says why) where the e2e tests (test/e2e/browser.ts) fail.
 */
export function browserUnavailable(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) return `the web UI is not built (${UI_DIST}/index.html missing: npm run build)`;
  return null;
}
