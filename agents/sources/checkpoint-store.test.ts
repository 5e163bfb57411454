import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { CheckpointStore } from './checkpoint-store.js';

describe('CheckpointStore', () => {
  it('starts empty and new when the file is missing, and persists merged commits', () => {
    const file = path.join(tempDir(), 'state', 'checkpoints.json');
    const store = CheckpointStore.open(file);
    expect(store.isNew).toBe(true);
    expect(store.all().size).toBe(0);

    store.commit([{ fileKey: '1:2:aa', path: '/var/log/a.log', offset: 10 }], 1000);
    store.commit([{ fileKey: '1:3:', path: '/var/log/b.log', offset: 5 }, { fileKey: '1:2:aa', path: '/var/log/a.log', offset: 42 }], 2000);
    expect(store.isNew).toBe(false);

    const reopened = CheckpointStore.open(file);
    expect(reopened.isNew).toBe(false);
    expect(reopened.get('1:2:aa')).toEqual({ path: '/var/log/a.log', offset: 42, updatedAt: 2000 });
    expect(reopened.get('1:3:')).toEqual({ path: '/var/log/b.log', offset: 5, updatedAt: 2000 });
    expect([...reopened.all().keys()].sort()).toEqual(['1:2:aa', '1:3:']);

    reopened.forget(['1:3:', 'not-there'], 3000);
    expect([...CheckpointStore.open(file).all().keys()]).toEqual(['1:2:aa']);
  });

  it('an empty commit still records that the agent has started', () => {
    const file = path.join(tempDir(), 'checkpoints.json');
    CheckpointStore.open(file).commit([], 1);
    expect(CheckpointStore.open(file).isNew).toBe(false);
  });

  it('ignores a temp file left by a crash in the middle of a commit', () => {
    const file = path.join(tempDir(), 'checkpoints.json');
    CheckpointStore.open(file).commit([{ fileKey: '1:2:aa', path: '/a', offset: 7 }], 1);
    fs.writeFileSync(`${file}.tmp`, '{"version":1,"files":{"1:2:aa":{"path":"/a","offs'); // torn write

    const store = CheckpointStore.open(file);
    expect(store.get('1:2:aa')?.offset).toBe(7);
    store.commit([{ fileKey: '1:2:aa', path: '/a', offset: 9 }], 2);
    expect(CheckpointStore.open(file).get('1:2:aa')?.offset).toBe(9);
  });

  it('falls back to the previous good version when the main file is corrupt', () => {
    const file = path.join(tempDir(), 'checkpoints.json');
    const store = CheckpointStore.open(file);
    store.commit([{ fileKey: '1:2:aa', path: '/a', offset: 100 }], 1);
    store.commit([{ fileKey: '1:2:aa', path: '/a', offset: 200 }], 2);
    fs.writeFileSync(file, 'garbage that is not json');

    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (msg: string) => warnings.push(msg), error() {}, child: () => logger };
    const recovered = CheckpointStore.open(file, logger);
    // The previous version: we re-read 100 bytes (duplicates), never skip any.
    expect(recovered.get('1:2:aa')?.offset).toBe(100);
    expect(warnings).toEqual(['checkpoint file is corrupt, using its backup']);
  });

  it('keeps the previous version as a backup and uses it when the main file is missing', () => {
    const file = path.join(tempDir(), 'checkpoints.json');
    const store = CheckpointStore.open(file);
    store.commit([{ fileKey: '1:2:aa', path: '/a', offset: 100 }], 1);
    store.commit([{ fileKey: '1:2:aa', path: '/a', offset: 200 }], 2);
    expect(fs.statSync(file).ino).not.toBe(fs.statSync(`${file}.bak`).ino); // the backup is not the live file
    fs.unlinkSync(file);
    expect(CheckpointStore.open(file).get('1:2:aa')?.offset).toBe(100);
  });

  it('commitAsync is on disk when it resolves, whatever commits overlap it, synchronous ones included', async () => {
    const file = path.join(tempDir(), 'state', 'checkpoints.json');
    const store = CheckpointStore.open(file);
    const commits = [1, 2, 3, 4, 5].map((i) => store.commitAsync([{ fileKey: '1:2:aa', path: '/a', offset: i * 10 }, { fileKey: `1:${i}:`, path: `/f${i}`, offset: i }], i));
    // A synchronous commit while asynchronous writes are pending joins them instead of racing for the temp file.
    store.commit([{ fileKey: '9:9:', path: '/sync', offset: 99 }], 6);
    await Promise.all(commits);
    await store.commitAsync([], 7);
    const reopened = CheckpointStore.open(file);
    expect(reopened.get('1:2:aa')).toEqual({ path: '/a', offset: 50, updatedAt: 5 });
    expect([...reopened.all().keys()].sort()).toEqual(['1:1:', '1:2:', '1:2:aa', '1:3:', '1:4:', '1:5:', '9:9:']);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('commitAsync rejects when the file cannot be written, and a later commit still lands', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'checkpoints.json');
    const store = CheckpointStore.open(file);
    fs.mkdirSync(`${file}.tmp`); // the temp file cannot be opened for writing
    await expect(store.commitAsync([{ fileKey: '1:2:aa', path: '/a', offset: 1 }], 1)).rejects.toThrow();
    fs.rmdirSync(`${file}.tmp`);
    await store.commitAsync([{ fileKey: '1:2:aa', path: '/a', offset: 2 }], 2);
    expect(CheckpointStore.open(file).get('1:2:aa')?.offset).toBe(2);
  });

  it('refuses with a clear invalid_config error when neither the file nor its backup is usable', () => {
    const file = path.join(tempDir(), 'checkpoints.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, files: { k: { path: '/a', offset: -1, updatedAt: 0 } } }));
    expect(() => CheckpointStore.open(file)).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining(file) }));
  });
});
