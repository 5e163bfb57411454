import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root: the nearest directory above this module with a package.json (sources or dist/). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/**
 * The built `sluice` executable, for tests and benchmarks that run the real process. No vitest import
 * here: the benchmarks (plain node, from dist/) use it too.
 */
export const CLI_BIN = path.join(projectRoot(), 'dist/server/cli/bin.js');
