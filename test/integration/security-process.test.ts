import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, startServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/** The compiled CLI, as an operator runs it (no SLUICE_* from this machine leaks in). */
function sluice(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLUICE_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sluice ${args.join(' ')} did not exit:\n${stderr}`));
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('default posture of `sluice server`', () => {
  it('on loopback: auth on, a one-time setup link in the log, the API closed until a token is given; tokens never logged', async () => {
    const dataDir = tempDir();
    const server = await startServerProcess(dataDir, [], {}, { auth: true });
    try {
      const setupLine = await waitFor(() => server.stderr().split('\n').find((l) => l.includes('first start')), 5000, 'the setup link');
      expect(JSON.parse(setupLine)).toMatchObject({ level: 'warn', setupUrl: expect.stringMatching(new RegExp(`^${server.url}/setup\\?token=[A-Za-z0-9_-]{43}$`)) });
      expect((await fetch(`${server.url}/api/v1/topics`)).status).toBe(401);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      // A token made on the data directory while the server runs.
      const made = await sluice(['tokens', 'create', '--scope', 'read,admin', '--name', 'ops', '--data', dataDir]);
      expect(made.code).toBe(0);
      const token = made.stdout.trim();
      expect(made.stdout).toBe(`${token}\n`);

      const denied = await sluice(['topics', 'list', '--server', server.url]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/unauthenticated/);
      expect((await sluice(['topics', 'list', '--server', server.url, '--token', token])).stdout).toMatch(/logs/);
      expect((await sluice(['topics', 'list', '--server', server.url], { SLUICE_TOKEN: token })).code).toBe(0);
      expect((await sluice(['topics', 'create', 'made-with-token', '--server', server.url], { SLUICE_TOKEN: token })).code).toBe(0);
      // A wrong token is refused at the same place; the log carries neither token.
      expect((await sluice(['topics', 'list', '--server', server.url, '--token', token.slice(0, -2) + 'xx'])).code).toBe(1);
      expect(server.stderr()).not.toContain(token.slice('sluice_'.length + 13));
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on a non-loopback address with auth off, or before any credential exists (exit 2)', async () => {
    const noAuth = await sluice(['server', '--data', tempDir(), '--host', '0.0.0.0', '--port', '0', '--no-auth']);
    expect(noAuth.code).toBe(2);
    expect(noAuth.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 with authentication off.*--insecure/);
    const noCredential = await sluice(['server', '--data', tempDir(), '--host', '0.0.0.0', '--port', '0']);
    expect(noCredential.code).toBe(2);
    expect(noCredential.stderr).toMatch(/before any credential exists/);
  });
});
