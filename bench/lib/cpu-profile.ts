import fs from 'node:fs';
import path from 'node:path';

/** The parts of a V8 .cpuprofile (written by `node --cpu-prof`) that self-time needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  function: string;
  location: string;
  self_ms: number;
  /** Share of the busy (non-idle) time. */
  self_pct_of_busy: number;
}

export interface ProfileSummary {
  file: string;
  duration_ms: number;
  busy_ms: number;
  idle_ms: number;
  gc_ms: number;
  top_self: ProfileEntry[];
  /** Self time summed per source file (node internals grouped as "node:*"). */
  top_files: Array<{ file: string; self_ms: number; self_pct_of_busy: number }>;
}

/** Self time per function (summed over call sites), from the sample timeline. */
export function summarizeCpuProfile(file: string, top = 25, rootDir = process.cwd()): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the time after sample i until the next one is its cost.
  for (let i = 0; i < samples.length; i++) {
    const cost = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, cost));
  }
  const byFunction = new Map<string, { function: string; location: string; us: number }>();
  const byFile = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    if (frame.functionName === '(garbage collector)') gc += us;
    const location = frame.url ? `${shortUrl(frame.url, rootDir)}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { function: name, location, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    const fileKey = frame.url ? fileGroup(shortUrl(frame.url, rootDir)) : name;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => Math.round((1000 * us) / Math.max(1, busy)) / 10;
  return {
    file,
    duration_ms: Math.round((profile.endTime - profile.startTime) / 1000),
    busy_ms: Math.round(busy / 1000),
    idle_ms: Math.round(idle / 1000),
    gc_ms: Math.round(gc / 1000),
    top_self: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ function: e.function, location: e.location, self_ms: Math.round(e.us / 1000), self_pct_of_busy: pct(e.us) })),
    top_files: [...byFile.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([f, us]) => ({ file: f, self_ms: Math.round(us / 1000), self_pct_of_busy: pct(us) })),
  };
}

function shortUrl(url: string, rootDir: string): string {
  const plain = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  return plain.startsWith(rootDir + path.sep) ? plain.slice(rootDir.length + 1) : plain;
}

function fileGroup(file: string): string {
  if (file.startsWith('node:')) return file;
  const nm = file.indexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return file;
}

/** The newest .cpuprofile in `dir`, or null. */
export function newestProfile(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files[0] ?? null;
}
