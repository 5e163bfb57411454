import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root: the nearest directory above this module with a package.json (sources or dist/). */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/**
 * Paths of the checkout, right from the sources (vitest) and from dist/ (the benchmarks). No vitest
 * import here: the benchmarks run under plain node.
 */
export const PROJECT_ROOT = findProjectRoot();
/** The built `sluice` executable, for tests and benchmarks that run the real process. */
export const CLI_BIN = path.join(PROJECT_ROOT, 'dist/server/cli/bin.js');
/** The built web UI the server serves at its root. */
export const UI_DIST = path.join(PROJECT_ROOT, 'web/dist');
