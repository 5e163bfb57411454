import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { SluiceError } from '../errors.js';
import { DEFAULT_CONFIG, overridesFromEnv, parseFsync, readConfigFile, resolveConfig, type ConfigFile, type ConfigOverrides } from './server-config.js';
import { YamlFileError } from './yaml-file.js';

/** Writes `text` to a fresh config file and returns its path. */
function configFile(text: string, name = 'sluice.yaml'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** The error readConfigFile throws for `text`, checked to be an invalid_config YamlFileError. */
function yamlError(text: string): { file: string; err: YamlFileError } {
  const file = configFile(text);
  let caught: unknown;
  try {
    readConfigFile(file);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(YamlFileError);
  const err = caught as YamlFileError;
  expect(err.code).toBe('invalid_config');
  expect(err.file).toBe(file);
  return { file, err };
}

/** Asserts the error is reported at exactly `line:col` of the file, with `detail` in the message. */
function expectYamlErrorAt(text: string, line: number, col: number, detail: string | RegExp): void {
  const { file, err } = yamlError(text);
  expect({ line: err.line, col: err.col }).toEqual({ line, col });
  expect(err.message.startsWith(`${file}:${line}:${col}: `)).toBe(true);
  if (typeof detail === 'string') expect(err.message).toContain(detail);
  else expect(err.message).toMatch(detail);
}

function thrown(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SluiceError);
    return err as SluiceError;
  }
  throw new Error('expected an error');
}

describe('resolveConfig', () => {
  it('is exactly the defaults when nothing is given', () => {
    expect(resolveConfig({}, {}, {})).toEqual(DEFAULT_CONFIG);
  });

  it('takes every setting of the file over the defaults, merging store and http key by key', () => {
    const file: ConfigFile = {
      dataDir: '/srv/sluice',
      host: '0.0.0.0',
      port: 9090,
      rulesDir: '/etc/sluice/rules',
      logLevel: 'debug',
      store: { fsync: 'interval:200', segmentBytes: 1024, autoCreateTopics: true, retentionMs: null, retentionBytes: 5000 },
      http: { maxRecordBytes: 64 },
    };
    expect(resolveConfig(file, {}, {})).toEqual({
      dataDir: '/srv/sluice',
      host: '0.0.0.0',
      port: 9090,
      rulesDir: '/etc/sluice/rules',
      logLevel: 'debug',
      fsync: { mode: 'interval', intervalMs: 200 },
      store: { ...DEFAULT_CONFIG.store, segmentBytes: 1024, autoCreateTopics: true, retentionMs: null, retentionBytes: 5000 },
      http: { ...DEFAULT_CONFIG.http, maxRecordBytes: 64 },
      auth: DEFAULT_CONFIG.auth,
    });
  });

  const fileValues: ConfigFile = { dataDir: 'file-data', host: 'file-host', port: 1001, rulesDir: 'file-rules', logLevel: 'warn', store: { fsync: 'never', autoCreateTopics: false } };
  const flagValues: ConfigOverrides = { dataDir: 'flag-data', host: 'flag-host', port: 2002, rulesDir: 'flag-rules', logLevel: 'error', fsync: 'interval:50', autoCreateTopics: true };
  const envValues: ConfigOverrides = { dataDir: 'env-data', host: 'env-host', port: 3003, rulesDir: 'env-rules', logLevel: 'debug', fsync: 'always', autoCreateTopics: false };
  const pickOut = (c: ReturnType<typeof resolveConfig>) => ({
    dataDir: c.dataDir,
    host: c.host,
    port: c.port,
    rulesDir: c.rulesDir,
    logLevel: c.logLevel,
    fsync: c.fsync,
    autoCreateTopics: c.store.autoCreateTopics,
  });

  it('lets flags override the file', () => {
    expect(pickOut(resolveConfig(fileValues, flagValues, {}))).toEqual({
      dataDir: 'flag-data',
      host: 'flag-host',
      port: 2002,
      rulesDir: 'flag-rules',
      logLevel: 'error',
      fsync: { mode: 'interval', intervalMs: 50 },
      autoCreateTopics: true,
    });
  });

  it('lets the environment override flags and the file (a false in the environment wins too)', () => {
    expect(pickOut(resolveConfig(fileValues, flagValues, envValues))).toEqual({
      dataDir: 'env-data',
      host: 'env-host',
      port: 3003,
      rulesDir: 'env-rules',
      logLevel: 'debug',
      fsync: { mode: 'always' },
      autoCreateTopics: false,
    });
  });

  it('falls through per setting: each comes from the highest layer that sets it', () => {
    const c = resolveConfig({ port: 1001, host: 'file-host', store: { fsync: 'never' } }, { port: 2002 }, { dataDir: 'env-data' });
    expect(pickOut(c)).toEqual({
      dataDir: 'env-data',
      host: 'file-host',
      port: 2002,
      rulesDir: DEFAULT_CONFIG.rulesDir,
      logLevel: DEFAULT_CONFIG.logLevel,
      fsync: { mode: 'never' },
      autoCreateTopics: false,
    });
  });

  it('accepts port 0 from a flag over a file port (0 is a value, not "unset")', () => {
    expect(resolveConfig({ port: 7000 }, { port: 0 }, {}).port).toBe(0);
  });

  it('refuses an invalid fsync policy from flags or the environment with invalid_config', () => {
    expect(thrown(() => resolveConfig({}, { fsync: 'sometimes' }, {})).code).toBe('invalid_config');
    expect(thrown(() => resolveConfig({}, {}, { fsync: 'interval:0' })).code).toBe('invalid_config');
  });

  it('does not modify the defaults', () => {
    const before = structuredClone(DEFAULT_CONFIG);
    resolveConfig({ store: { segmentBytes: 1 }, http: { maxBodyBytes: 1 } }, { port: 1 }, {});
    expect(DEFAULT_CONFIG).toEqual(before);
  });
});

describe('parseFsync', () => {
  it.each([
    ['always', { mode: 'always' }],
    ['never', { mode: 'never' }],
    ['interval:1', { mode: 'interval', intervalMs: 1 }],
    ['interval:250', { mode: 'interval', intervalMs: 250 }],
  ])('parses %s', (text, policy) => {
    expect(parseFsync(text)).toEqual(policy);
  });

  it.each([['interval:0'], ['interval:'], ['interval:-5'], ['interval:1.5'], ['interval'], ['sometimes'], ['ALWAYS'], [' always'], ['']])(
    'refuses %j with invalid_config',
    (text) => {
      const err = thrown(() => parseFsync(text));
      expect(err.code).toBe('invalid_config');
      expect(err.message).toContain(JSON.stringify(text));
    },
  );
});

describe('overridesFromEnv', () => {
  it('reads every SLUICE_* variable, typed', () => {
    expect(
      overridesFromEnv({
        SLUICE_DATA: '/data',
        SLUICE_HOST: '::1',
        SLUICE_PORT: '8080',
        SLUICE_RULES: '/rules',
        SLUICE_FSYNC: 'never',
        SLUICE_LOG_LEVEL: 'warn',
        SLUICE_AUTO_CREATE_TOPICS: 'true',
        PATH: '/usr/bin',
        SLUICE_UNRELATED: 'x',
      }),
    ).toEqual({ dataDir: '/data', host: '::1', port: 8080, rulesDir: '/rules', fsync: 'never', logLevel: 'warn', autoCreateTopics: true });
  });

  it('ignores unset and empty variables', () => {
    expect(overridesFromEnv({})).toEqual({});
    expect(overridesFromEnv({ SLUICE_PORT: '', SLUICE_DATA: '', SLUICE_AUTO_CREATE_TOPICS: '' })).toEqual({});
  });

  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
    ['false', false],
  ])('reads SLUICE_AUTO_CREATE_TOPICS=%s as %s', (text, value) => {
    expect(overridesFromEnv({ SLUICE_AUTO_CREATE_TOPICS: text })).toEqual({ autoCreateTopics: value });
  });

  it.each([
    ['SLUICE_PORT', 'abc'],
    ['SLUICE_PORT', '70000'],
    ['SLUICE_PORT', '-1'],
    ['SLUICE_PORT', '80a'],
    ['SLUICE_PORT', '8080.5'],
    ['SLUICE_LOG_LEVEL', 'verbose'],
    ['SLUICE_LOG_LEVEL', 'INFO'],
    ['SLUICE_AUTO_CREATE_TOPICS', 'yes'],
    ['SLUICE_AUTO_CREATE_TOPICS', 'TRUE'],
  ])('refuses %s=%j with invalid_config naming the variable', (name, value) => {
    const err = thrown(() => overridesFromEnv({ [name]: value }));
    expect(err.code).toBe('invalid_config');
    expect(err.message).toContain(name);
  });
});

describe('readConfigFile', () => {
  it('reads a complete valid file', () => {
    const file = configFile(
      [
        '# Sluice',
        'dataDir: ./data',
        'host: 127.0.0.1',
        'port: 7070',
        'rulesDir: ./rules',
        'logLevel: info',
        'store:',
        '  fsync: interval:100',
        '  segmentBytes: 134217728',
        '  segmentMs: 86400000',
        '  indexIntervalBytes: 4096',
        '  autoCreateTopics: false',
        '  defaultPartitions: 3',
        '  retentionMs: 604800000',
        '  retentionBytes: null',
        '  retentionSchedule: "0 * * * * *"',
        'http:',
        '  maxBodyBytes: 16777216',
        '  maxRecordBytes: 1048576',
        '',
      ].join('\n'),
    );
    expect(readConfigFile(file)).toEqual({
      dataDir: './data',
      host: '127.0.0.1',
      port: 7070,
      rulesDir: './rules',
      logLevel: 'info',
      store: {
        fsync: 'interval:100',
        segmentBytes: 134217728,
        segmentMs: 86400000,
        indexIntervalBytes: 4096,
        autoCreateTopics: false,
        defaultPartitions: 3,
        retentionMs: 604800000,
        retentionBytes: null,
        retentionSchedule: '0 * * * * *',
      },
      http: { maxBodyBytes: 16777216, maxRecordBytes: 1048576 },
    });
  });

  it('reads an empty or comment-only file as no settings', () => {
    expect(readConfigFile(configFile(''))).toEqual({});
    expect(readConfigFile(configFile('# nothing here\n'))).toEqual({});
  });

  it('allows a few aliases for real reuse', () => {
    expect(readConfigFile(configFile('dataDir: &dir /srv/sluice\nrulesDir: *dir\n'))).toEqual({ dataDir: '/srv/sluice', rulesDir: '/srv/sluice' });
  });

  it('refuses a missing file with invalid_config', () => {
    const file = path.join(tempDir(), 'missing.yaml');
    const err = thrown(() => readConfigFile(file));
    expect(err.code).toBe('invalid_config');
    expect(err.message).toBe(`cannot read config file ${file}: ENOENT`);
  });

  it('reports a type error in a nested key at its value', () => {
    expectYamlErrorAt('port: 7070\nstore:\n  fsync: always\n  segmentBytes: lots\n', 4, 17, 'store.segmentBytes: Invalid input: expected number, received string');
  });

  it('reports an out-of-range value at the value', () => {
    expectYamlErrorAt('host: localhost\nport: 70000\n', 2, 7, 'port: Too big');
    expectYamlErrorAt('http:\n  maxBodyBytes: 0\n', 2, 17, 'http.maxBodyBytes:');
    expectYamlErrorAt('logLevel: chatty\n', 1, 11, 'logLevel:');
  });

  it('reports an invalid fsync policy in the file at the value, including interval:0', () => {
    expectYamlErrorAt('store:\n  fsync: sometimes\n', 2, 10, 'store.fsync: must be always, never or interval:MS');
    expectYamlErrorAt('store:\n  fsync: interval:0\n', 2, 10, 'store.fsync: must be always, never or interval:MS');
  });

  it('reports an unknown top-level key at the key', () => {
    expectYamlErrorAt('port: 7070\nhost: 0.0.0.0\nprot: 7071\n', 3, 1, 'Unrecognized key: "prot"');
  });

  it('reports an unknown nested key at the key', () => {
    expectYamlErrorAt('port: 7070\nstore:\n  fsync: always\n  segmentbytes: 1024\n', 4, 3, 'store: Unrecognized key: "segmentbytes"');
  });

  it('reports a duplicate key at the second occurrence', () => {
    expectYamlErrorAt('port: 7070\nhost: a\nport: 7071\n', 3, 1, 'Map keys must be unique');
    expectYamlErrorAt('store:\n  fsync: never\n  fsync: always\n', 3, 3, 'Map keys must be unique');
  });

  it('refuses a !!js/function tag at the tag', () => {
    expectYamlErrorAt('port: 7070\nhost: !!js/function "function () { return 1 }"\n', 2, 7, 'js/function');
  });

  it('refuses a custom !tag at the tag', () => {
    expectYamlErrorAt('port: 7070\nstore:\n  fsync: !env SLUICE_FSYNC\n', 3, 10, '!env');
  });

  it.each([['__proto__'], ['constructor'], ['prototype']])('refuses a %s key at the key', (key) => {
    expectYamlErrorAt(`port: 7070\nstore:\n  ${key}:\n    polluted: true\n`, 3, 3, `key "${key}" is not allowed`);
  });

  it('refuses a __proto__ key at the top level without polluting any prototype', () => {
    expectYamlErrorAt('__proto__:\n  polluted: true\n', 1, 1, 'key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a YAML syntax error at its position', () => {
    expectYamlErrorAt('dataDir: ./data\nhost: a: b\n', 2, 7, 'Nested mappings are not allowed');
    expectYamlErrorAt('port: 7070\nstore: {fsync: always\n', 3, 1, /Flow map/);
  });

  it('refuses a top level that is not a mapping', () => {
    expectYamlErrorAt('- a\n- b\n', 1, 1, 'expected object, received array');
    expectYamlErrorAt('just a string\n', 1, 1, 'expected object');
  });

  it('does not apply merge keys', () => {
    expectYamlErrorAt('port: 7070\n<<: {host: evil}\n', 2, 1, 'Unrecognized key: "<<"');
  });

  it('refuses a file over 1 MiB', () => {
    const { err } = yamlError(`# ${'x'.repeat(1024 * 1024)}\nport: 1\n`);
    expect({ line: err.line, col: err.col }).toEqual({ line: 1, col: 1 });
    expect(err.message).toContain('larger than');
  });

  it('refuses a billion-laughs alias bomb quickly', () => {
    const names = 'abcdefghi';
    let text = 'a: &a [x,x,x,x,x,x,x,x,x]\n';
    for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
    const file = configFile(text);
    const started = performance.now();
    const err = thrown(() => readConfigFile(file));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(YamlFileError);
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: .*alias`, 'i'));
    expect(elapsed).toBeLessThan(100);
  });
});

describe('kafka settings', () => {
  it('are absent unless the file or a port asks for them, and then default to 9092 on the server host', () => {
    expect(resolveConfig({ host: '::1' }, {}, {}).kafka).toBeUndefined();
    expect(resolveConfig({ host: '::1', kafka: { advertisedHost: 'logs.example.com' } }, {}, {}).kafka).toEqual({
      enabled: true,
      host: '::1',
      port: 9092,
      advertisedHost: 'logs.example.com',
      advertisedPort: null,
      maxFrameBytes: 100 * 1024 * 1024,
    });
    expect(resolveConfig({ kafka: { port: 1 } }, { kafkaPort: 2 }, overridesFromEnv({ SLUICE_KAFKA_PORT: '0' })).kafka?.port).toBe(0);
    expect(resolveConfig({}, { kafkaPort: 19092 }, {}).kafka).toMatchObject({ enabled: true, port: 19092 });
  });
});

describe('syslog and gelf sections', () => {
  it('leave the listeners out unless the file has a section or --syslog is given', () => {
    expect(resolveConfig({}, {}, {}).syslog).toBeUndefined();
    expect(resolveConfig({}, {}, {}).gelf).toBeUndefined();
    expect(resolveConfig({ host: '0.0.0.0' }, { syslog: true }, {}).syslog).toEqual({
      enabled: true,
      host: '0.0.0.0',
      tcpPort: 1514,
      udpPort: 1514,
      tls: null,
      token: null,
      maxMessageBytes: 65536,
    });
  });

  it('reads the file, --syslog and SLUICE_SYSLOG in the usual order', () => {
    const file = readConfigFile(configFile('syslog:\n  tcpPort: 0\n  udpPort: null\n  tls: { cert: c.pem, key: k.pem }\n  token: t1\ngelf:\n  udpEnabled: true\n  udpPort: 0\n'));
    const off = resolveConfig(file, {}, {}).syslog!;
    expect(off).toMatchObject({ enabled: false, tcpPort: 0, udpPort: null, tls: { cert: 'c.pem', key: 'k.pem' }, token: 't1', host: '127.0.0.1' });
    expect(resolveConfig(file, { syslog: true }, {}).syslog!.enabled).toBe(true);
    expect(resolveConfig(file, { syslog: true }, overridesFromEnv({ SLUICE_SYSLOG: 'false' })).syslog!.enabled).toBe(false);
    expect(resolveConfig(file, {}, {}).gelf).toEqual({ udpEnabled: true, host: '127.0.0.1', udpPort: 0, maxMessageBytes: 1024 * 1024 });
  });

  it('refuses unknown keys and bad ports with their position', () => {
    expect(() => readConfigFile(configFile('syslog:\n  tcpport: 1\n'))).toThrow(YamlFileError);
    expect(() => readConfigFile(configFile('gelf:\n  udpPort: 70000\n'))).toThrow(YamlFileError);
  });
});
