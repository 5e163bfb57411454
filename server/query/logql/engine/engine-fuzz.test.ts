import { describe, expect, it } from 'vitest';
import { isSluiceError } from '../../../errors.js';
import type { Expr } from '../ast.js';
import { parseLogQL } from '../parser.js';
import { CORPUS_START_NS, generateCorpus, seededRandom } from '../test-support/corpus.js';
import { MemoryLogSource, MemorySampleSource } from '../test-support/memory-sources.js';
import { mutate, SEEDS } from '../test-support/query-mutations.js';
import { runLogQuery } from './log-query.js';
import { runInstantQuery, runRangeQuery } from './metric-query.js';

/** Property: any query that parses runs to a result or fails with a SluiceError — never a TypeError. */
describe('engine fuzzing', () => {
  it('mutated queries that parse run without crashing', async () => {
    const corpus = generateCorpus(60, 3);
    const logs = new MemoryLogSource(corpus, { bucketCounts: true });
    const samples = new MemorySampleSource(corpus.map((e, i) => ({ name: 'node_cpu_percent', tsNs: e.tsNs, value: i % 100, labels: { host: `web${i % 3}` } })));
    const end = corpus[corpus.length - 1]!.tsNs + 1n;
    const rand = seededRandom(99);
    let ran = 0;
    for (let i = 0; i < 1_500; i++) {
      let query = SEEDS[i % SEEDS.length]!;
      for (let r = 0, rounds = Math.floor(rand() * 3); r < rounds; r++) query = mutate(query, rand);
      let expr: Expr;
      try {
        expr = parseLogQL(query);
      } catch {
        continue;
      }
      ran++;
      try {
        if (expr.kind === 'log') await runLogQuery(expr, logs, { startNs: CORPUS_START_NS, endNs: end, limit: 20, direction: i % 2 === 0 ? 'forward' : 'backward' });
        else if (i % 2 === 0) await runInstantQuery(expr, logs, samples, { atNs: end });
        else await runRangeQuery(expr, logs, samples, { startNs: CORPUS_START_NS, endNs: end, stepNs: 60_000_000_000n });
      } catch (err) {
        if (!isSluiceError(err)) throw new Error(`${JSON.stringify(query)} crashed the engine: ${String(err)}`, { cause: err });
      }
    }
    expect(ran).toBeGreaterThan(300);
  });
});
