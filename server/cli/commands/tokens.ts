import { systemClock } from '../../clock.js';
import { SCOPES } from '../../auth/index.js';
import { TokenStore, type TokenInfo } from '../../auth/token-store.js';
import { parseFlags } from '../args.js';
import { resolveDataDir, withAuthDb } from '../auth-data.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { formatTable } from './topics.js';

export const tokensHelp = `Usage: sluice tokens <create|list|revoke> [options]

  sluice tokens create --scope SCOPES --name NAME   print a new API token (only this once)
  sluice tokens list [--json]                       every token: id, name, scopes, use, revocation
  sluice tokens revoke ID                           revoke a token (a running server stops
                                                    accepting it within a second)

Scopes (comma-separated): ${SCOPES.join(', ')}
  ingest  write logs, metrics and records (agents, log shippers)
  read    search, browse topics, view alerts, consume
  admin   topics, rules, silences, tokens, users

Options:
  --data DIR      the server's data directory (default $SLUICE_DATA, the config's dataDir, or ./data)
  --config FILE   take the data directory from this server config file
  --json          list as JSON

These commands work on the data directory directly, so they also work before the first server start.
"create" prints the token alone on standard output: TOKEN=$(sluice tokens create ...).`;

export async function runTokens(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    data: { type: 'string' },
    config: { type: 'string' },
    scope: { type: 'string', multiple: true },
    name: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, id, ...extra] = positionals;
  if (values.help || action === undefined) {
    io.out(tokensHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const dataDir = resolveDataDir(values, io);
  const store = <T>(use: (tokens: TokenStore) => T) => withAuthDb(dataDir, (db) => use(new TokenStore(db, systemClock)));
  switch (action) {
    case 'create': {
      if (values.scope === undefined) throw new UsageError(`tokens create needs --scope (${SCOPES.join(', ')})`);
      if (values.name === undefined) throw new UsageError('tokens create needs --name (what or who the token is for)');
      const { token, info } = store((tokens) => tokens.create({ name: values.name!, scopes: values.scope!, createdBy: 'cli' }));
      io.out(token + '\n');
      io.err(`created token ${info.id} (${info.name}) with scopes ${info.scopes.join(',')}; it is shown only this once\n`);
      return 0;
    }
    case 'list': {
      const list = store((tokens) => tokens.list());
      if (values.json) io.out(JSON.stringify({ tokens: list }, null, 2) + '\n');
      else io.out(list.length === 0 ? 'no tokens\n' : formatTable(['ID', 'NAME', 'SCOPES', 'CREATED', 'LAST_USED', 'REVOKED'], list.map(row)));
      return 0;
    }
    case 'revoke': {
      if (id === undefined) throw new UsageError('tokens revoke needs the token id (see "sluice tokens list")');
      const info = store((tokens) => tokens.revoke(id));
      io.out(`revoked token ${info.id} (${info.name})\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown tokens action ${JSON.stringify(action)}; use create, list or revoke`);
  }
}

function row(t: TokenInfo): string[] {
  const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 19) + 'Z');
  return [t.id, t.name, t.scopes.join(','), time(t.createdAt), time(t.lastUsedAt), time(t.revokedAt)];
}
