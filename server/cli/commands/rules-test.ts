import fs from 'node:fs';
import { isSluiceError } from '../../errors.js';
import { ApiClient } from '../api-client.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:7070';

interface FiringPeriod {
  labels: Record<string, string>;
  from: string;
  to: string | null;
  maxValue: number | null;
  noData: boolean;
}

interface RuleResult {
  alert: string;
  group: string;
  step: string;
  evaluations: number;
  firing: FiringPeriod[];
  truncated: boolean;
}

interface BacktestResponse {
  from: string;
  to: string;
  rules: RuleResult[];
}

export interface RulesTestOptions {
  file: string;
  from: string;
  to?: string;
  step?: string;
  alert?: string;
  server?: string;
  /** API token with the read scope; default SLUICE_TOKEN. */
  token?: string;
  json: boolean;
}

/**
 * `sluice rules test FILE --from T1 --to T2`: sends the rule file to the server's backtest API
 * (POST /api/v1/rules/test), which replays the stored records through its rules, and prints when each
 * rule would have fired. Problems in the file are printed as file:line:col: message (exit 1).
 */
export async function runRulesTest(options: RulesTestOptions, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(options.file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${options.file}`);
  }
  const client = new ApiClient(options.server ?? io.env.SLUICE_SERVER ?? DEFAULT_SERVER, options.token ?? io.env.SLUICE_TOKEN);
  const body: Record<string, unknown> = { file: options.file, rules: text, from: options.from };
  if (options.to !== undefined) body.to = options.to;
  if (options.step !== undefined) body.step = options.step;
  if (options.alert !== undefined) body.alert = options.alert;
  let result: BacktestResponse;
  try {
    result = await client.request<BacktestResponse>('POST', '/api/v1/rules/test', body);
  } catch (err) {
    if (isSluiceError(err) && err.code === 'invalid_config') {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (options.json) {
    io.out(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  io.out(`${options.file}: ${result.from} to ${result.to}\n`);
  for (const rule of result.rules) {
    io.out(`\n${rule.alert} (group ${rule.group}): ${rule.evaluations} evaluations, every ${rule.step}\n`);
    if (rule.firing.length === 0) io.out('  never fired\n');
    for (const p of rule.firing) {
      const until = p.to === null ? 'still firing' : `${p.to} (${formatSpan(Date.parse(p.to) - Date.parse(p.from))})`;
      const value = p.noData ? 'no data' : p.maxValue === null ? '' : `max ${p.maxValue}`;
      io.out(`  FIRING ${p.from} → ${until}  ${value}  ${formatLabels(p.labels)}\n`);
    }
    if (rule.truncated) io.out('  (more transitions than listed; narrow the range)\n');
  }
  return 0;
}

function formatLabels(labels: Record<string, string>): string {
  const shown = Object.entries(labels).filter(([name]) => name !== 'alertname');
  return `{${shown.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
}
