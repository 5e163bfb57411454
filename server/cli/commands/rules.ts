import fs from 'node:fs';
import path from 'node:path';
import { listRuleFiles } from '../../rules/rule-directory.js';
import { parseRuleFileAll } from '../../rules/rule-file.js';
import { parseFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { runRulesTest } from './rules-test.js';

export const rulesHelp = `Usage: sluice rules check [PATH...]
       sluice rules test FILE --from TIME [--to TIME] [--step DURATION] [--alert NAME] [--server URL] [--token TOKEN] [--json]

  sluice rules check              check every rule file in ./rules
  sluice rules check DIR|FILE...  check the given files, and the *.yaml / *.yml files of the given directories
  sluice rules test FILE ...      backtest: replay the records stored on the server through the rules of FILE
                                  and print when each rule would have fired

check validates rule files offline (YAML, schema, durations, templates and LogQL expressions) and prints
each problem as file:line:col: message. Exit status: 0 all valid, 1 any problem, 2 bad usage.

test options:
  --from TIME      start: RFC 3339 (2024-06-01T10:00:00Z), epoch milliseconds, "now-6h"
  --to TIME        end (default now)
  --step DURATION  evaluation step (default: each group's interval)
  --alert NAME     only the rules with this alert name
  --server URL     the Sluice server (default $SLUICE_SERVER or http://127.0.0.1:7070)
  --token TOKEN    API token with the read scope (default $SLUICE_TOKEN)
  --json           print the server's JSON answer
Exit status: 0 done (fired or not), 1 a problem in FILE or the server failed, 2 bad usage.`;

export async function runRules(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    help: { type: 'boolean', short: 'h' },
    from: { type: 'string' },
    to: { type: 'string' },
    step: { type: 'string' },
    alert: { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [action, ...paths] = positionals;
  if (values.help || action === undefined) {
    io.out(rulesHelp + '\n');
    return values.help ? 0 : 2;
  }
  if (action === 'test') {
    if (paths.length !== 1) throw new UsageError('rules test needs exactly one rule file');
    if (values.from === undefined) throw new UsageError('rules test needs --from');
    return runRulesTest({ file: paths[0]!, from: values.from, to: values.to, step: values.step, alert: values.alert, server: values.server, token: values.token, json: values.json ?? false }, io);
  }
  if (action !== 'check') throw new UsageError(`unknown rules action ${JSON.stringify(action)}`);
  return checkRules(paths.length > 0 ? paths : ['rules'], io);
}

function checkRules(paths: string[], io: CliIo): number {
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      io.err(`${p}: no such file or directory\n`);
      return 1;
    }
    files.push(...(stat.isDirectory() ? listRuleFiles(p) : [p]));
  }
  let problems = 0;
  let groups = 0;
  let rules = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    const result = parseRuleFileAll(shown, fs.readFileSync(file, 'utf8'));
    for (const error of result.errors) io.err(`${error.message}\n`);
    problems += result.errors.length;
    groups += result.groups.length;
    rules += result.groups.reduce((n, g) => n + g.rules.length, 0);
  }
  if (problems > 0) {
    io.err(`${problems} problem(s) in ${files.length} file(s)\n`);
    return 1;
  }
  io.out(`${files.length} file(s), ${groups} group(s), ${rules} rule(s): OK\n`);
  return 0;
}
