import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A numeric option: absent gives `fallback`; otherwise a finite number (an integer if `integer`), at
 * least `min`, `_` separators allowed (`--lines 10_000_000`). Anything else throws, for benchMain to report.
 */
export function numberOption(raw: string | undefined, name: string, fallback: number, { min = 0, integer = false } = {}): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
  return n;
}

/**
 * The frame every benchmark runs in: options parsed (a bad one: its message on stderr, exit code 2);
 * a fresh temp folder for data, removed afterwards and on SIGINT/SIGTERM unless `keepDir` names a
 * folder to use and keep; the result as one JSON object on stdout.
 */
export async function benchMain<O>(
  name: string,
  argv: string[],
  parse: (argv: string[]) => O,
  run: (root: string, options: O) => Promise<unknown>,
  keepDir?: (options: O) => string | null,
): Promise<number> {
  let options: O;
  try {
    options = parse(argv);
  } catch (err) {
    process.stderr.write(`bench ${name}: ${(err as Error).message}\n`);
    return 2;
  }
  const kept = keepDir?.(options) ?? null;
  const root = kept !== null ? path.resolve(kept) : fs.mkdtempSync(path.join(os.tmpdir(), `sluice-bench-${name}-`));
  fs.mkdirSync(root, { recursive: true });
  const cleanup = () => {
    if (kept === null) fs.rmSync(root, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    process.stdout.write(JSON.stringify(await run(root, options), null, 2) + '\n');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}

/** A benchmark's progress lines on stderr (stdout carries only its JSON): `[bench NAME hh:mm:ss] msg`. */
export function progressLog(name: string): (msg: string) => void {
  return (msg) => process.stderr.write(`[bench ${name} ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
