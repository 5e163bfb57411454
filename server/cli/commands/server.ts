import { overridesFromEnv, parseLogLevel, parsePort, readConfigFile, resolveConfig, type ConfigOverrides } from '../../config/server-config.js';
import { startServer } from '../../main.js';
import { parseFlags } from '../args.js';
import type { CliIo } from '../io.js';

export const serverHelp = `Usage: sluice server [options]

Runs the Sluice server: the embedded topic store and the HTTP API.

Options:
  --config FILE          YAML config file (see docs/configuration.md)
  --data DIR             data directory (default ./data)
  --host ADDR            listen address (default 127.0.0.1)
  --port N               HTTP port (default 7070; 0 picks a free one)
  --rules DIR            alert rules directory (default ./rules)
  --fsync POLICY         always (default) | interval:MS | never
  --auto-create-topics   create a topic on first produce
  --syslog               start the syslog listeners (TCP and UDP, port 1514; see docs/protocols.md)
  --log-level LEVEL      debug | info | warn | error
Flags override the file; SLUICE_* environment variables override both.`;

export async function runServer(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      config: { type: 'string' },
      data: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      rules: { type: 'string' },
      fsync: { type: 'string' },
      'auto-create-topics': { type: 'boolean' },
      syslog: { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    io.out(serverHelp + '\n');
    return 0;
  }
  const flags: ConfigOverrides = {};
  if (values.data !== undefined) flags.dataDir = values.data;
  if (values.host !== undefined) flags.host = values.host;
  if (values.port !== undefined) flags.port = parsePort(values.port, '--port');
  if (values.rules !== undefined) flags.rulesDir = values.rules;
  if (values.fsync !== undefined) flags.fsync = values.fsync;
  if (values['auto-create-topics'] !== undefined) flags.autoCreateTopics = values['auto-create-topics'];
  if (values.syslog !== undefined) flags.syslog = values.syslog;
  if (values['log-level'] !== undefined) flags.logLevel = parseLogLevel(values['log-level'], '--log-level');
  const file = values.config === undefined ? {} : readConfigFile(values.config);
  const config = resolveConfig(file, flags, overridesFromEnv(io.env));

  const server = await startServer(config);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void server.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return 0;
}
