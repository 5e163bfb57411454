import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UI_DIST } from './browser.js';

/** The budget for the web UI's JavaScript, gzip'd. */
const JS_BUDGET_GZIP_BYTES = 500 * 1024;

describe('web UI bundle', () => {
  it('ships under 500 kB of gzip\'d JavaScript', () => {
    const assets = path.join(UI_DIST, 'assets');
    if (!fs.existsSync(assets)) throw new Error(`the web UI is not built (${UI_DIST}): run "npm run build"`);
    const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(assets, f)), { level: 9 }).length, 0);
    console.info(`[bench] web UI JavaScript: ${(gzipped / 1024).toFixed(1)} kB gzip in ${scripts.length} file(s)`);
    expect(gzipped).toBeLessThan(JS_BUDGET_GZIP_BYTES);
  });
});
