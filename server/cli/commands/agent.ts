import { startAgent } from '../../../agents/agent.js';
import { loadAgentConfig } from '../../../agents/config/agent-config.js';
import { formatAgentStatus } from '../../../agents/status/format-status.js';
import { statusUrlForListen } from '../../../agents/status/listen-address.js';
import { fetchAgentStatus } from '../../../agents/status/status-client.js';
import { createLogger, type LogLevel } from '../../log/logger.js';
import { parseLogLevel } from '../../config/server-config.js';
import { parseFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const agentHelp = `Usage: sluice agent --config agent.yaml [--log-level LEVEL]
       sluice agent status [--config agent.yaml | --url http://127.0.0.1:7079] [--json]

Runs the host agent: tails the configured log files and ships them, with host metrics, to the server
at least once (see docs/agent.md). "status" prints a running agent's counters.`;

export async function runAgent(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    url: { type: 'string' },
    json: { type: 'boolean' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(agentHelp + '\n');
    return 0;
  }
  if (positionals[0] === 'status') {
    const url = values.url ?? (values.config === undefined ? 'http://127.0.0.1:7079' : statusUrlForListen(loadAgentConfig(values.config).status.listen));
    const status = await fetchAgentStatus(url);
    io.out(values.json ? JSON.stringify(status, null, 2) + '\n' : formatAgentStatus(status, Date.now()));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unknown agent action ${JSON.stringify(positionals[0])}`);
  if (values.config === undefined) throw new UsageError('sluice agent needs --config FILE');
  const config = loadAgentConfig(values.config);
  const level: LogLevel = values['log-level'] === undefined ? 'info' : parseLogLevel(values['log-level'], '--log-level');
  const agent = await startAgent(config, { logger: createLogger({ level }) });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void agent.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return 0;
}
