import fs from 'node:fs';

/**
 * fs.watch on the folders of followed files (and the globs' root folders), as a hint only: any event
 * calls `onChange` (FileSource then wakes waitForData and scans at its next tick). Lost events, an
 * inotify limit or a folder that vanished cost nothing but latency: FileSource scans every tick while
 * a folder it cares about has no working watcher, and every tenth tick regardless.
 */
export class DirectoryHints {
  private readonly watchers = new Map<string, fs.FSWatcher>();

  constructor(private readonly onChange: () => void) {}

  /** Watches exactly these folders from now on. */
  watch(folders: Set<string>): void {
    for (const [dir, watcher] of this.watchers) {
      if (folders.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    for (const dir of folders) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = fs.watch(dir, { persistent: false }, () => this.onChange());
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch {
        // Out of inotify watches, or the folder just went: the scan interval is the fallback.
      }
    }
  }

  /** A working watcher covers this folder: a change in it is reported. */
  covers(dir: string): boolean {
    return this.watchers.has(dir);
  }

  close(): void {
    this.watch(new Set());
  }
}
