import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../server/errors.js';
import { YamlFileError } from '../../server/config/yaml-file.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { loadAgentConfig } from './agent-config.js';

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');

/** Writes `text` as agent.yaml in a fresh folder and returns its path. */
function configFile(text: string): string {
  const file = path.join(tempDir('sluice-agent-config-'), 'agent.yaml');
  fs.writeFileSync(file, text);
  return file;
}

/** The exact error message loadAgentConfig gives for `text`, checked to be a located invalid_config error. */
function loadError(text: string): { file: string; message: string } {
  const file = configFile(text);
  let caught: unknown;
  try {
    loadAgentConfig(file, 'web-1');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(YamlFileError);
  expect((caught as YamlFileError).code).toBe('invalid_config');
  return { file, message: (caught as YamlFileError).message };
}

describe('loadAgentConfig on valid configs', () => {
  it('fills every default around a config that only names the server', () => {
    const file = configFile('server: http://127.0.0.1:7070\n');
    const dir = path.dirname(file);
    expect(loadAgentConfig(file, 'web-1')).toEqual({
      server: 'http://127.0.0.1:7070',
      labels: { host: 'web-1' },
      stateDir: path.join(dir, 'agent-state'),
      bufferDir: path.join(dir, 'agent-state', 'buffer'),
      sources: [],
      batch: { maxLines: 20_000, maxBytes: 4 * 1024 * 1024, maxWaitMs: 1000 },
      buffer: { maxBytes: 256 * 1024 * 1024 },
      status: { listen: '127.0.0.1:7079' },
    });
  });

  it('fills the defaults of sources, multiline and metrics', () => {
    const config = loadAgentConfig(
      configFile(`server: https://logs.example.com
sources:
  - path: /var/log/app/*.log
    multiline:
      start: '^\\d{4}-\\d{2}-\\d{2}'
metrics: {}
`),
      'web-1',
    );
    expect(config.sources).toEqual([
      {
        path: '/var/log/app/*.log',
        exclude: [],
        labels: {},
        startAt: 'end',
        multiline: { start: '^\\d{4}-\\d{2}-\\d{2}', maxLines: 500, timeoutMs: 1000 },
        parser: 'none',
        timestampFormat: 'auto',
      },
    ]);
    expect(config.metrics).toEqual({ intervalSec: 15, collect: ['cpu', 'memory', 'load', 'disk', 'network'] });
  });

  it('labels everything with the hostname given, unless the file sets host itself', () => {
    expect(loadAgentConfig(configFile('server: http://127.0.0.1:7070\nlabels:\n  env: prod\n'), 'db-7').labels).toEqual({ host: 'db-7', env: 'prod' });
    expect(loadAgentConfig(configFile('server: http://127.0.0.1:7070\nlabels:\n  host: db-primary\n'), 'db-7').labels).toEqual({ host: 'db-primary' });
  });

  it("defaults host to this machine's hostname", () => {
    expect(loadAgentConfig(configFile('server: http://127.0.0.1:7070\n')).labels.host).toBe(os.hostname());
  });

  it("resolves a relative stateDir and buffer.dir against the config file's folder, not the working directory", () => {
    const file = configFile('server: http://127.0.0.1:7070\nstateDir: ./state\nbuffer:\n  dir: ../spool\n');
    const dir = path.dirname(file);
    const config = loadAgentConfig(file, 'web-1');
    expect(config.stateDir).toBe(path.join(dir, 'state'));
    expect(config.bufferDir).toBe(path.join(dir, '..', 'spool'));
  });

  it('keeps an absolute stateDir as it is', () => {
    const config = loadAgentConfig(configFile('server: http://127.0.0.1:7070\nstateDir: /var/lib/sluice-agent\n'), 'web-1');
    expect(config.stateDir).toBe('/var/lib/sluice-agent');
    expect(config.bufferDir).toBe('/var/lib/sluice-agent/buffer');
  });
});

describe('loadAgentConfig on bad configs', () => {
  it('points at an unknown key in a source', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nsources:\n  - path: /var/log/a.log\n    parsr: json\n');
    expect(message).toBe(`${file}:4:5: sources.0: Unrecognized key: "parsr"`);
  });

  it('points at an unknown top-level key', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nstatedir: /var/lib/sluice-agent\n');
    expect(message).toBe(`${file}:2:1: Unrecognized key: "statedir"`);
  });

  it('points at a value of the wrong type', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nbatch:\n  maxLines: lots\n');
    expect(message).toBe(`${file}:3:13: batch.maxLines: Invalid input: expected number, received string`);
  });

  it('points at a multiline start that RE2 cannot compile', () => {
    const { file, message } = loadError("server: http://127.0.0.1:7070\nsources:\n  - path: /var/log/a.log\n    multiline:\n      start: '^(\\d{4}'\n");
    expect(message).toBe(`${file}:5:14: sources.0.multiline.start: invalid regular expression: error parsing regexp: missing closing ): \`^(\\d{4}\``);
  });

  it('refuses a pattern RE2 does not support (lookbehind), where a backtracking engine would take it', () => {
    const { file, message } = loadError("server: http://127.0.0.1:7070\nsources:\n  - path: /a.log\n    parser: regex\n    pattern: '(?<=user=)\\w+'\n");
    expect(message).toMatch(new RegExp(`^${escapeRegExp(file)}:5:14: sources\\.0\\.pattern: invalid regular expression: `));
  });

  it('refuses parser regex without a pattern, at the source', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nsources:\n  - path: /var/log/a.log\n    parser: regex\n');
    expect(message).toBe(`${file}:3:5: sources.0.pattern: parser "regex" needs a pattern with named groups (?P<name>...)`);
  });

  it('refuses an invalid label name, on its line', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nlabels:\n  team-name: platform\n');
    expect(message.startsWith(`${file}:3:`)).toBe(true);
    expect(message).toContain('labels.team-name: ');
  });

  // Fails today: agent-config.ts's label-name rule message is lost (zod 4 wraps a record key's issue as
  // "Invalid key in record") and the column is the value's, not the key's. When this starts passing,
  // vitest reports it: turn it into a plain `it`.
  it('refuses an invalid label name at the key, saying the rule', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nlabels:\n  team-name: platform\n');
    expect(message).toBe(`${file}:3:3: labels.team-name: label names must match [a-zA-Z_][a-zA-Z0-9_]*`);
  });

  it('refuses a server that is not an http(s) URL', () => {
    const bare = loadError('server: 127.0.0.1:7070\n');
    expect(bare.message).toBe(`${bare.file}:1:9: server: server must be an http(s) URL`);
    const ftp = loadError('server: ftp://logs.example.com\n');
    expect(ftp.message).toBe(`${ftp.file}:1:9: server: server must be an http(s) URL`);
  });

  it('refuses a config without a server', () => {
    const { file, message } = loadError('labels:\n  env: prod\n');
    expect(message).toBe(`${file}:1:1: server: server must be an http(s) URL`);
  });

  it('reports a YAML syntax error at its place', () => {
    const { file, message } = loadError('server: http://127.0.0.1:7070\nstateDir: /var/lib: agent\n');
    expect(message).toBe(`${file}:2:11: Nested mappings are not allowed in compact mappings`);
  });

  it('says which file it cannot read', () => {
    const missing = path.join(tempDir(), 'agent.yaml');
    expect(() => loadAgentConfig(missing, 'web-1')).toThrow(new SluiceError('invalid_config', `cannot read agent config ${missing}: ENOENT`));
  });
});

describe('agents/examples', () => {
  const examples = fs.readdirSync(EXAMPLES).filter((name) => name.endsWith('.yaml'));

  it('has the nginx, JSON app and Java app examples', () => {
    expect(examples.sort()).toEqual(expect.arrayContaining(['java-app.yaml', 'json-app.yaml', 'nginx.yaml']));
  });

  it.each(examples)('%s loads as a valid agent config pointing at a local server', (name) => {
    const config = loadAgentConfig(path.join(EXAMPLES, name), 'example-host');
    expect(config.server).toBe('http://127.0.0.1:7070');
    expect(config.sources.length).toBeGreaterThan(0);
    expect(config.labels.host).toBe('example-host');
  });

  it('covers the regex parser, multiline and metrics between them', () => {
    const configs = examples.map((name) => loadAgentConfig(path.join(EXAMPLES, name), 'example-host'));
    const sources = configs.flatMap((c) => c.sources);
    expect(sources.some((s) => s.parser === 'regex' && s.timestampFormat === 'common_log')).toBe(true);
    expect(sources.some((s) => s.parser === 'json' && s.levelField !== undefined && s.timestampField !== undefined)).toBe(true);
    expect(sources.some((s) => s.multiline?.start === '^\\d{4}-\\d{2}-\\d{2}')).toBe(true);
    expect(configs.some((c) => c.metrics !== undefined)).toBe(true);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('settings that would silently do nothing are refused', () => {
  const bad = (yaml: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-agent-config-'));
    const file = path.join(dir, 'agent.yaml');
    fs.writeFileSync(file, yaml);
    try {
      loadAgentConfig(file, 'h');
      return '';
    } catch (err) {
      return (err as Error).message.slice(file.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const head = 'server: http://127.0.0.1:7070\nsources:\n  - path: /var/log/a.log\n';

  it('a pattern without parser regex, a regex without named groups, levelField with parser none', () => {
    expect(bad(head + '    pattern: "(?P<x>.*)"\n')).toMatch(/^:4:14: sources\.0\.pattern: pattern is only used with parser: regex$/);
    expect(bad(head + '    parser: regex\n    pattern: "(.*)"\n')).toMatch(/needs named groups/);
    expect(bad(head + '    levelField: level\n')).toMatch(/^:4:17: sources\.0\.levelField: levelField needs a parser/);
  });

  it('a status listen address that is not host:port', () => {
    expect(bad('server: http://127.0.0.1:7070\nstatus:\n  listen: "7079"\n')).toMatch(/^:3:11: status\.listen: listen must be host:port/);
    expect(bad('server: http://127.0.0.1:7070\nstatus:\n  listen: "off"\n')).toBe('');
  });

  it('resolves relative globs against the config file folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-agent-config-'));
    const file = path.join(dir, 'agent.yaml');
    fs.writeFileSync(file, 'server: http://127.0.0.1:7070\nsources:\n  - path: [logs/*.log, /abs/x.log]\n');
    expect(loadAgentConfig(file, 'h').sources[0]!.path).toEqual([path.join(dir, 'logs/*.log'), '/abs/x.log']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
