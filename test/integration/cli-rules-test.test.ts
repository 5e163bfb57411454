import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, startTestServer } from '../helpers/server.js';
import { CLI_BIN } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

/** `sluice rules test` (the compiled CLI) against the real server's backtest API. */
function sluice(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLUICE_')));
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const RULES = `groups:
  - name: app
    interval: 1m
    rules:
      - alert: CheckoutErrors
        expr: sum by (service) (count_over_time({service="checkout", level="error"}[1m])) > 2
      - alert: Quiet
        expr: sum by (service) (count_over_time({service="nothing"}[1m])) > 0
`;

describe('sluice rules test', () => {
  it('prints when each rule of the file would have fired', async () => {
    const server = await startTestServer({ config: { rulesDir: tempDir() } });
    const now = Date.now();
    const at = now - 30 * 60_000;
    await http(server.url, 'POST', '/api/v1/logs', Array.from({ length: 4 }, () => ({ line: 'boom', ts: String(at * 1_000_000), labels: { service: 'checkout', level: 'error' } })));
    const file = path.join(tempDir(), 'app.yaml');
    fs.writeFileSync(file, RULES);
    const from = new Date(now - 60 * 60_000).toISOString();
    const result = await sluice(['rules', 'test', file, '--from', from, '--to', new Date(now).toISOString(), '--server', server.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CheckoutErrors (group app): 61 evaluations, every 1m');
    expect(result.stdout).toContain(`FIRING ${new Date(at).toISOString()} → ${new Date(at + 60_000).toISOString()} (1m)  max 4  {service="checkout"}`);
    expect(result.stdout).toMatch(/Quiet \(group app\): 61 evaluations, every 1m\n {2}never fired/);

    const json = await sluice(['rules', 'test', file, '--from', 'now-1h', '--alert', 'Quiet', '--json', '--server', server.url]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).rules.map((r: { alert: string }) => r.alert)).toEqual(['Quiet']);
  });

  it('a problem in the file is printed as file:line:col (exit 1); missing --from is a usage error (exit 2)', async () => {
    const server = await startTestServer({ config: { rulesDir: tempDir() } });
    const file = path.join(tempDir(), 'bad.yaml');
    fs.writeFileSync(file, RULES.replace('[1m])) > 2', '[1m)) > 2'));
    const bad = await sluice(['rules', 'test', file, '--from', 'now-1h', '--server', server.url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`${file}:6:87: expr: expected "]" to close the range, found ")"\n`);
    expect((await sluice(['rules', 'test', file])).code).toBe(2);
  });
});
