import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { isRotationOf, listFamily } from './rotation-family.js';

describe('rotation family', () => {
  it('is the watched name plus a rotation suffix (., - or _ then something with a digit), not compressed', () => {
    const watched = '/var/log/app.log';
    const members = ['app.log.1', 'app.log.12', 'app.log-20240501', 'app.log-2024-05-01-1714550400', 'app.log_1', 'app.log.2024-05-01T10'];
    const strangers = ['app.log', 'app.log.1.gz', 'app.log-20240501.gz', 'app.log.2.zip', 'app.log.3.bz2', 'app.log.4.xz', 'app.log.5.zst', 'app.log.json', 'app.log.bak', 'app.logger.1', 'other.log.1'];
    expect(members.filter((name) => isRotationOf(watched, name))).toEqual(members);
    expect(strangers.filter((name) => isRotationOf(watched, name))).toEqual([]);
  });

  it('lists regular member files oldest first: by mtime, then higher rotation number first', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    const at = (name: string, secondsAgo: number) => {
      fs.writeFileSync(path.join(dir, name), name);
      const time = new Date(Date.now() - secondsAgo * 1000);
      fs.utimesSync(path.join(dir, name), time, time);
    };
    at('app.log', 0);
    at('app.log.1', 10);
    at('app.log.3', 30);
    at('app.log.2', 30); // same mtime as .3 (coarse clock): .3 is the older rotation
    at('app.log.9.gz', 90);
    fs.mkdirSync(path.join(dir, 'app.log.4')); // a folder is not a member
    const members = await listFamily(log);
    expect(members.map((m) => path.basename(m.path))).toEqual(['app.log.3', 'app.log.2', 'app.log.1']);
  });
});
