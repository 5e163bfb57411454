import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { globRoots } from './file-discovery.js';
import { openHarness, readLines, sourceConfig } from './test-support.js';

describe('globRoots', () => {
  it('is the folder part of each pattern before its first wildcard segment', () => {
    const sources = [
      sourceConfig(['/var/log/app/*.log', '/var/log/nginx/access.log', 'relative/{a,b}/*.log']),
      sourceConfig('/srv/**/logs/*.log'),
      sourceConfig('/*.log'),
    ];
    expect(globRoots(sources, '/home/me').sort()).toEqual(['/', '/home/me/relative', '/srv', '/var/log/app', '/var/log/nginx']);
  });
});

describe('FileSource: scans while idle', () => {
  it('finds a new file deep down a ** glob, where no watcher looks, at the latest at the tenth scan tick', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'top.log'), 'top 0\n');
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    const h = await openHarness(dir, [sourceConfig(path.join(dir, '**', '*.log'))], { scanIntervalMs: 20 });
    expect((await readLines(h, 1)).map((l) => l.text)).toEqual(['top 0']);
    // Watchers are on `dir` (the glob's root, and top.log's folder): a file two folders down changes
    // nothing they see, so only the scan every tenth tick finds it.
    fs.writeFileSync(path.join(dir, 'a', 'b', 'deep.log'), 'deep 0\n');
    expect((await readLines(h, 1, { timeoutMs: 5_000 })).map((l) => l.text)).toEqual(['deep 0']);
    await h.source.close();
  });
});
