import { defaultKafkaSettings, overridesFromEnv, parseLogLevel, parsePort, readConfigFile, resolveConfig, type ConfigOverrides } from '../../config/server-config.js';
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
  --kafka-port N         Kafka protocol port (default 9092; 0 picks a free one; see docs/kafka.md)
  --syslog               start the syslog listeners (TCP and UDP, port 1514; see docs/protocols.md)
  --log-level LEVEL      debug | info | warn | error
  --tls-cert FILE        serve HTTPS with this PEM certificate (and --tls-key)
  --tls-key FILE         the certificate's PEM private key
  --no-auth              ask no credentials (only on a loopback address, unless --insecure)
  --insecure             listen on a non-loopback address with auth off or before any
                         user or admin token exists (see docs/security.md)
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
      'kafka-port': { type: 'string' },
      'log-level': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'no-auth': { type: 'boolean' },
      insecure: { type: 'boolean' },
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
  if (values['kafka-port'] !== undefined) flags.kafkaPort = parsePort(values['kafka-port'], '--kafka-port');
  if (values['log-level'] !== undefined) flags.logLevel = parseLogLevel(values['log-level'], '--log-level');
  if (values['tls-cert'] !== undefined) flags.tlsCertFile = values['tls-cert'];
  if (values['tls-key'] !== undefined) flags.tlsKeyFile = values['tls-key'];
  if (values['no-auth']) flags.authEnabled = false;
  if (values.insecure) flags.insecure = true;
  const file = values.config === undefined ? {} : readConfigFile(values.config);
  const config = resolveConfig(file, flags, overridesFromEnv(io.env));
  config.kafka ??= defaultKafkaSettings(config.host);

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
