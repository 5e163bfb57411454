import fs from 'node:fs';

/**
 * fs.watch on the folders of followed files, as a hint only: any event calls `onChange` (FileSource
 * then wakes waitForData). Lost events, an inotify limit or a folder that vanished cost nothing but
 * latency, since the glob re-scan finds everything anyway.
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

  close(): void {
    this.watch(new Set());
  }
}
