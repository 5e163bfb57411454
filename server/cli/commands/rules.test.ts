import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.js';
import { runCli } from '../main.js';
import type { CliIo } from '../io.js';

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    stdin: (async function* () {})(),
    env: {},
  };
  return io;
}

describe('sluice rules check', () => {
  it('the shipped example rules are valid', async () => {
    const io = captureIo();
    expect(await runCli(['rules', 'check', path.resolve('rules')], io)).toBe(0);
    expect(io.stdout).toMatch(/1 file\(s\), 2 group\(s\), 5 rule\(s\): OK/);
  });

  it('prints file:line:col for every problem of every file and exits 1', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate({a="b"}[5m) > 1\n');
    fs.writeFileSync(path.join(dir, 'b.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: B\n        expr: rate({a="b"}[5m]) > 1\n        for: soon\n');
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'groups: []\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a rule file');
    const io = captureIo();
    expect(await runCli(['rules', 'check', dir], io)).toBe(1);
    const lines = io.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/a\.yaml:5:30: expr: expected "]"/);
    expect(lines[1]).toMatch(/b\.yml:6:14: for: "soon" is not a duration/);
    expect(lines[2]).toBe('2 problem(s) in 3 file(s)');
  });

  it('a missing path exits 1; an unknown action is a usage error (exit 2)', async () => {
    const io = captureIo();
    expect(await runCli(['rules', 'check', '/nonexistent/rules'], io)).toBe(1);
    expect(io.stderr).toMatch(/no such file or directory/);
    expect(await runCli(['rules', 'lint'], captureIo())).toBe(2);
  });
});
