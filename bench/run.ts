/**
 * Benchmark dispatcher: `node dist/bench/run.js <name> [options]` (or `npm run bench -- <name>`).
 * Each benchmark prints one JSON object on stdout and its progress on stderr. An unknown or missing
 * name prints the list and exits 2.
 */
interface Benchmark {
  description: string;
  run(argv: string[]): Promise<number>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  store: {
    description: 'HTTP produce/fetch throughput, ack and end-to-end latency, fsync baseline, 1 GiB recovery (~3 min)',
    run: async (argv) => (await import('./store.js')).runStoreBench(argv),
  },
  search: {
    description: 'search index: ingest-to-searchable lines/s and lag, index size vs raw, Loki query latency vs grep (10M lines: ~10 min)',
    run: async (argv) => (await import('./search.js')).runSearchBench(argv),
  },
  alerts: {
    description: 'alert evaluation: 200 rules at 50,000 lines/s: trigger → webhook latency, ingest throughput with/without rules, evaluator CPU (~2 min)',
    run: async (argv) => (await import('./alerts.js')).runAlertsBench(argv),
  },
  protocols: {
    description: 'log shipper protocols: lines/s from each real client (Loki push, Elasticsearch bulk, OTLP, ...) next to /api/v1/logs (~2 min)',
    run: async (argv) => (await import('./protocols.js')).runProtocolsBench(argv),
  },
  kafka: {
    description: 'Kafka protocol: kcat produces 1M records of 100 B (acks=all) and consumes them, next to HTTP produce of the same records (~1 min)',
    run: async (argv) => (await import('./kafka.js')).runKafkaBench(argv),
  },
  agent: {
    description: 'agent: lines/s from one file vs cat, CPU s per million lines, RSS tailing 100 files, idle CPU (~2 min)',
    run: async (argv) => (await import('./agent.js')).runAgentBench(argv),
  },
};

function list(): string {
  const width = Math.max(...Object.keys(BENCHMARKS).map((n) => n.length));
  return Object.entries(BENCHMARKS)
    .map(([name, b]) => `  ${name.padEnd(width)}  ${b.description}`)
    .join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHMARKS[name];
if (bench === undefined) {
  process.stderr.write(`${name === undefined ? 'no benchmark given' : `unknown benchmark ${JSON.stringify(name)}`}\nUsage: npm run bench -- <name> [options]\n\nBenchmarks:\n${list()}\n`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await bench.run(rest);
  } catch (err) {
    process.stderr.write(`bench ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
