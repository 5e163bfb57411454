import { openAuthDb, type AuthDb } from '../auth/auth-db.js';
import { readConfigFile } from '../config/server-config.js';
import type { CliIo } from './io.js';

/**
 * The data directory the credential commands work on, as `sluice server` would pick it: --data, else
 * SLUICE_DATA, else the config file's dataDir, else ./data. The commands open <dataDir>/auth.db
 * directly, so the first administrator can be made before any server runs; a running server sees
 * the change at once (a revocation within its 0.5 s token cache).
 */
export function resolveDataDir(values: { data?: string; config?: string }, io: CliIo): string {
  return values.data ?? io.env.SLUICE_DATA ?? (values.config === undefined ? undefined : readConfigFile(values.config).dataDir) ?? './data';
}

export function withAuthDb<T>(dataDir: string, use: (db: AuthDb) => T): T {
  const db = openAuthDb(dataDir);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** The first line of standard input: how a password reaches the CLI without showing up in `ps` or shell history. */
export async function readSecretLine(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    chunks.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a) || size > 64 * 1024) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]!;
}
