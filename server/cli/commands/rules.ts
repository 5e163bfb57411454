import fs from 'node:fs';
import path from 'node:path';
import { listRuleFiles } from '../../rules/rule-directory.js';
import { parseRuleFileAll } from '../../rules/rule-file.js';
import { parseFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const rulesHelp = `Usage: sluice rules check [PATH...]

  sluice rules check              check every rule file in ./rules
  sluice rules check DIR|FILE...  check the given files, and the *.yaml / *.yml files of the given directories

Validates rule files offline (YAML, schema, durations, templates and LogQL expressions) and prints each
problem as file:line:col: message. Exit status: 0 all valid, 1 any problem, 2 bad usage.`;

export async function runRules(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { help: { type: 'boolean', short: 'h' } });
  const [action, ...paths] = positionals;
  if (values.help || action === undefined) {
    io.out(rulesHelp + '\n');
    return values.help ? 0 : 2;
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
