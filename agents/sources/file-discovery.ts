import path from 'node:path';
import { glob } from 'tinyglobby';
import type { SourceConfig } from '../config/agent-config.js';

/**
 * Expands every source's `path` globs into absolute file paths, minus its `exclude` globs. An exclude
 * without a slash matches a file name in any folder (`*.gz`); with a slash it is a path glob, relative
 * ones resolved against rootDir like `path`. A file matched by several sources belongs to the first.
 * Returns path → source index, sorted by path so discovery order is stable.
 */
export async function discoverFiles(sources: readonly SourceConfig[], rootDir: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const [index, source] of sources.entries()) {
    const patterns = (Array.isArray(source.path) ? source.path : [source.path]).map((p) => path.resolve(rootDir, p));
    const ignore = source.exclude.map((p) => (p.includes('/') ? path.resolve(rootDir, p) : `**/${p}`));
    // cwd '/' keeps absolute patterns inside the crawl root, which tinyglobby needs for `ignore` to apply.
    const paths = await glob(patterns, { cwd: '/', absolute: true, ignore, onlyFiles: true, dot: true, expandDirectories: false });
    for (const file of paths.sort()) if (!found.has(file)) found.set(file, index);
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Characters that make a path segment a pattern rather than a name (globs, braces, extglobs). */
const GLOB_MAGIC = /[*?[\]{}()!]/;

/**
 * The folders the sources' `path` globs are rooted in: each pattern's leading segments before the
 * first one with a wildcard (the folder of a plain path). A new match appears as a change in one of
 * them, unless it is deeper down a wildcard folder.
 */
export function globRoots(sources: readonly SourceConfig[], rootDir: string): string[] {
  const roots = new Set<string>();
  for (const source of sources) {
    for (const pattern of Array.isArray(source.path) ? source.path : [source.path]) {
      const segments = path.resolve(rootDir, pattern).split(path.sep);
      const firstMagic = segments.findIndex((segment) => GLOB_MAGIC.test(segment));
      const fixed = firstMagic === -1 ? segments.slice(0, -1) : segments.slice(0, firstMagic);
      roots.add(fixed.join(path.sep) || path.sep);
    }
  }
  return [...roots];
}
