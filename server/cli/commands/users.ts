import { ALL_SCOPES, SCOPES, MIN_PASSWORD_LENGTH } from '../../auth/index.js';
import { UserStore } from '../../auth/user-store.js';
import { systemClock } from '../../clock.js';
import { openAuthDb } from '../../auth/auth-db.js';
import { parseFlags } from '../args.js';
import { readSecretLine, resolveDataDir } from '../auth-data.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { formatTable } from './topics.js';

export const usersHelp = `Usage: sluice users <add|list|delete|passwd> [NAME] [options]

  sluice users add NAME [--scope SCOPES]   add a web UI account; the password is read from the
                                           first line of standard input (at least ${MIN_PASSWORD_LENGTH} characters)
  sluice users list [--json]
  sluice users delete NAME                 delete the account and end its sessions
  sluice users passwd NAME                 set a new password (from standard input); ends its sessions

Options:
  --scope SCOPES  comma-separated, of ${SCOPES.join(', ')} (default: all three, an administrator)
  --data DIR      the server's data directory (default $SLUICE_DATA, the config's dataDir, or ./data)
  --config FILE   take the data directory from this server config file

Example: printf '%s\\n' "$PASSWORD" | sluice users add alice --data /var/lib/sluice`;

export async function runUsers(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    data: { type: 'string' },
    config: { type: 'string' },
    scope: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, name, ...extra] = positionals;
  if (values.help || action === undefined) {
    io.out(usersHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const needName = () => {
    if (name === undefined) throw new UsageError(`users ${action} needs a user name`);
    return name;
  };
  const db = openAuthDb(resolveDataDir(values, io));
  try {
    const users = new UserStore(db, systemClock);
    switch (action) {
      case 'add': {
        const username = needName();
        const user = await users.add({ username, password: await readSecretLine(io), scopes: values.scope ?? [...ALL_SCOPES] });
        io.out(`added user ${user.username} with scopes ${user.scopes.join(',')}\n`);
        return 0;
      }
      case 'list': {
        const list = users.list();
        if (values.json) io.out(JSON.stringify({ users: list }, null, 2) + '\n');
        else io.out(list.length === 0 ? 'no users\n' : formatTable(['USER', 'SCOPES', 'CREATED'], list.map((u) => [u.username, u.scopes.join(','), new Date(u.createdAt).toISOString().slice(0, 19) + 'Z'])));
        return 0;
      }
      case 'delete': {
        users.remove(needName());
        io.out(`deleted user ${name}\n`);
        return 0;
      }
      case 'passwd': {
        await users.setPassword(needName(), await readSecretLine(io));
        io.out(`changed the password of ${name}; their sessions have ended\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown users action ${JSON.stringify(action)}; use add, list, delete or passwd`);
    }
  } finally {
    db.close();
  }
}
