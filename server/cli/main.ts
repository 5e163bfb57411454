import { isSluiceError } from '../errors.js';
import { ApiClient } from './api-client.js';
import { runConsume } from './commands/consume.js';
import { runProduce } from './commands/produce.js';
import { runTopics } from './commands/topics.js';
import { processIo, type CliIo } from './io.js';
import { TopicsClient } from './topics-client.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: sluice <command> [options]

Commands:
  server     run the Sluice server (topic store + HTTP API)
  topics     list, create, describe and delete topics
  produce    produce records from standard input, one per line
  consume    print records of a topic, one value per line
  agent      run the host agent (tail logs, collect metrics, ship them); "agent status"
  rules      check alert rule files offline; backtest them against stored data
  tokens     create, list and revoke API tokens (on the data directory)
  users      add, list and delete web UI accounts (on the data directory)

Run "sluice <command> --help" for a command's options.`;

const DEFAULT_SERVER = 'http://127.0.0.1:7070';

// server, rules and agent are loaded when run: `sluice agent` runs on every host under a memory
// budget (docs/agent.md) and must not carry the server's code.

/**
 * Exit codes: 0 success, 1 the operation failed (the server said no, or could not be reached),
 * 2 the command line or a config file is wrong.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const client = (server: string | undefined, token?: string) => new TopicsClient(new ApiClient(server ?? io.env.SLUICE_SERVER ?? DEFAULT_SERVER, token ?? io.env.SLUICE_TOKEN));
  try {
    switch (command) {
      case 'server':
        return await (await import('./commands/server.js')).runServer(rest, io);
      case 'topics':
        return await runTopics(rest, io, client);
      case 'produce':
        return await runProduce(rest, io, client);
      case 'consume':
        return await runConsume(rest, io, client);
      case 'agent':
        await import('../../agents/young-generation.js'); // before the agent's modules load: see there
        return await (await import('./commands/agent.js')).runAgent(rest, io);
      case 'rules':
        return await (await import('./commands/rules.js')).runRules(rest, io);
      case 'tokens':
        return await (await import('./commands/tokens.js')).runTokens(rest, io);
      case 'users':
        return await (await import('./commands/users.js')).runUsers(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`sluice: ${err.message}\nRun "sluice --help" for usage.\n`);
      return 2;
    }
    if (isSluiceError(err)) {
      io.err(`sluice: ${err.message} (${err.code})\n`);
      return err.code === 'invalid_config' ? 2 : 1;
    }
    io.err(`sluice: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
