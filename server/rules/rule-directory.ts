/**
 * The rules directory, loaded and hot-reloaded.
 *
 * Invariant: for every file, the rules in effect are those of its last version that parsed without
 * error. A broken edit is reported (`fileStates()`: the UI, /metrics and the log show it) and the
 * previous version keeps running; deleting a file removes its rules. Files are read in name order,
 * so the rule order is stable across reloads.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { YamlFileError } from '../config/yaml-file.js';
import { parseRuleFileAll, type RuleGroup } from './rule-file.js';

export interface RuleFileState {
  file: string;
  /** Groups in effect from this file (the last good version). */
  groups: RuleGroup[];
  /** Problems of the file's current text; empty when it loaded. */
  errors: Array<{ line: number; col: number; message: string }>;
  loadedAt: number | null;
}

export interface RuleDirectoryOptions {
  dir: string;
  now: () => number;
  /** Backstop poll for file systems where fs.watch misses events (network mounts, some containers). */
  pollMs?: number;
  onChange?: (groups: RuleGroup[]) => void;
  onFileError?: (file: string, errors: YamlFileError[]) => void;
}

const RULE_FILE = /\.ya?ml$/i;

export class RuleDirectory {
  private states = new Map<string, RuleFileState>();
  /** The text last read of each file, good or bad: unchanged files are not parsed (or reported) again. */
  private seen = new Map<string, string>();
  private watcher: fs.FSWatcher | null = null;
  private poller: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;

  constructor(private readonly options: RuleDirectoryOptions) {}

  /** Every group in effect, file by file in name order. */
  groups(): RuleGroup[] {
    return [...this.states.values()].flatMap((s) => s.groups);
  }

  fileStates(): RuleFileState[] {
    return [...this.states.values()];
  }

  /** Reads the directory now; returns true when the rules in effect changed. */
  reload(): boolean {
    const files = listRuleFiles(this.options.dir);
    let changed = false;
    for (const file of [...this.states.keys()]) {
      if (!files.includes(file)) {
        this.states.delete(file);
        this.seen.delete(file);
        changed = true;
      }
    }
    for (const file of files) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue; // removed between listing and reading: the next reload sees it gone
      }
      if (this.seen.get(file) === text) continue;
      this.seen.set(file, text);
      const previous = this.states.get(file);
      const { groups, errors } = parseRuleFileAll(file, text);
      if (errors.length > 0) {
        this.states.set(file, { file, groups: previous?.groups ?? [], errors: errors.map((e) => ({ line: e.line, col: e.col, message: e.detail })), loadedAt: previous?.loadedAt ?? null });
        this.options.onFileError?.(file, errors);
        continue;
      }
      this.states.set(file, { file, groups, errors: [], loadedAt: this.options.now() });
      changed = true;
    }
    // Keep name order: Map iteration follows insertion, and new files may sort before old ones.
    this.states = new Map([...this.states.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (changed) this.options.onChange?.(this.groups());
    return changed;
  }

  /** Reloads on every change in the directory (debounced), and on a slow poll as a backstop. */
  watch(): void {
    const schedule = () => {
      if (this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = null;
        this.reload();
      }, 100);
    };
    try {
      this.watcher = fs.watch(this.options.dir, schedule);
      this.watcher.on('error', () => {}); // the poll carries on if the directory goes away
    } catch {
      this.watcher = null;
    }
    this.poller = setInterval(() => this.reload(), this.options.pollMs ?? 5_000);
    this.poller.unref();
  }

  close(): void {
    this.watcher?.close();
    if (this.poller) clearInterval(this.poller);
    if (this.pending) clearTimeout(this.pending);
    this.watcher = this.poller = this.pending = null;
  }
}

/** The rule files of a directory (not recursive), sorted; a missing directory has none. */
export function listRuleFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => RULE_FILE.test(n) && !n.startsWith('.')).sort().map((n) => path.join(dir, n));
}
