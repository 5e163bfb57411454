import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RE2JS } from 're2js';
import { z } from 'zod';
import { SluiceError } from '../../server/errors.js';
import { parseYamlFile } from '../../server/config/yaml-file.js';
import { parseListenAddress } from '../status/listen-address.js';

/** A regex compiled on RE2 (linear time): user patterns can never hang the agent. */
const re2Pattern = z.string().min(1).superRefine((pattern, ctx) => {
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
  }
});

const labelsSchema = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names must match [a-zA-Z_][a-zA-Z0-9_]*'), z.string());

const sourceSchema = z
  .strictObject({
    path: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    exclude: z.array(z.string().min(1)).default([]),
    labels: labelsSchema.default({}),
    startAt: z.enum(['end', 'beginning']).default('end'),
    multiline: z
      .strictObject({
        start: re2Pattern,
        maxLines: z.number().int().min(1).max(100_000).default(500),
        timeoutMs: z.number().int().min(1).max(600_000).default(1000),
      })
      .optional(),
    parser: z.enum(['none', 'json', 'logfmt', 'regex']).default('none'),
    pattern: re2Pattern.optional(),
    levelField: z.string().min(1).optional(),
    timestampField: z.string().min(1).optional(),
    timestampFormat: z.enum(['auto', 'rfc3339', 'unix', 'unix_ms', 'unix_us', 'unix_ns', 'common_log']).default('auto'),
  })
  .superRefine((source, ctx) => {
    if (source.parser === 'regex' && source.pattern === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'parser "regex" needs a pattern with named groups (?P<name>...)' });
    }
    // Settings that would otherwise be accepted and silently do nothing.
    if (source.pattern !== undefined && source.parser !== 'regex') {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'pattern is only used with parser: regex' });
    }
    if (source.parser === 'regex' && source.pattern !== undefined && !/\(\?P?<[a-zA-Z_]/.test(source.pattern)) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'the regex pattern needs named groups (?P<name>...) to extract fields' });
    }
    for (const key of ['levelField', 'timestampField'] as const) {
      if (source[key] !== undefined && source.parser === 'none') {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} needs a parser (json, logfmt or regex) to find fields` });
      }
    }
  });

export const agentConfigSchema = z.strictObject({
  server: z.url({ protocol: /^https?$/, error: 'server must be an http(s) URL' }),
  token: z.string().min(1).optional(),
  labels: labelsSchema.default({}),
  stateDir: z.string().min(1).default('./agent-state'),
  sources: z.array(sourceSchema).default([]),
  metrics: z
    .strictObject({
      intervalSec: z.number().min(1).max(3600).default(15),
      collect: z.array(z.enum(['cpu', 'memory', 'load', 'disk', 'network'])).default(['cpu', 'memory', 'load', 'disk', 'network']),
    })
    .optional(),
  // maxLines is high enough that typical lines (a few hundred bytes) fill maxBytes first: each request
  // and checkpoint costs a fixed few ms (the server's fsync, the checkpoint's), paid per batch, and on
  // a virtual disk an fdatasync takes 0.1–5 ms however little it writes. Measured (bench -- agent,
  // 200-byte lines): 1 MiB batches shipped 84k–126k lines/s, 4 MiB ones 132k–136k with 27% less agent
  // CPU per line. The server takes up to 16 MiB (decompressed) a request.
  batch: z
    .strictObject({
      maxLines: z.number().int().min(1).max(100_000).default(20_000),
      maxBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(4 * 1024 * 1024),
      maxWaitMs: z.number().int().min(1).max(60_000).default(1000),
    })
    .default({ maxLines: 20_000, maxBytes: 4 * 1024 * 1024, maxWaitMs: 1000 }),
  buffer: z
    .strictObject({
      dir: z.string().min(1).optional(),
      maxBytes: z.number().int().min(1024 * 1024).default(256 * 1024 * 1024),
    })
    .default({ maxBytes: 256 * 1024 * 1024 }),
  status: z
    .strictObject({
      /** host:port of the local status endpoint; "off" disables it. */
      listen: z
        .string()
        .refine((v) => v === 'off' || isListenAddress(v), 'listen must be host:port (e.g. 127.0.0.1:7079) or off')
        .default('127.0.0.1:7079'),
    })
    .default({ listen: '127.0.0.1:7079' }),
});

export type AgentConfigFile = z.infer<typeof agentConfigSchema>;
export type SourceConfig = AgentConfigFile['sources'][number];

/** The agent's config with every path resolved and defaults filled in. */
export interface AgentConfig extends AgentConfigFile {
  bufferDir: string;
}

/**
 * Reads and validates agent.yaml. Errors carry file:line:col. Relative paths (stateDir, buffer.dir)
 * are relative to the config file's folder; `host` defaults to the machine's hostname.
 */
export function loadAgentConfig(file: string, hostname = os.hostname()): AgentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SluiceError('invalid_config', `cannot read agent config ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return resolveAgentConfig(parseYamlFile(file, text, agentConfigSchema), path.dirname(path.resolve(file)), hostname);
}

export function resolveAgentConfig(parsed: AgentConfigFile, baseDir: string, hostname: string): AgentConfig {
  const stateDir = path.resolve(baseDir, parsed.stateDir);
  // Relative globs are relative to the config file, like every other path in it, not to the cwd.
  const resolveGlob = (glob: string) => (path.isAbsolute(glob) ? glob : path.join(baseDir, glob));
  return {
    ...parsed,
    sources: parsed.sources.map((source) => ({
      ...source,
      path: Array.isArray(source.path) ? source.path.map(resolveGlob) : resolveGlob(source.path),
    })),
    labels: { host: hostname, ...parsed.labels },
    stateDir,
    bufferDir: parsed.buffer.dir === undefined ? path.join(stateDir, 'buffer') : path.resolve(baseDir, parsed.buffer.dir),
  };
}

function isListenAddress(value: string): boolean {
  try {
    parseListenAddress(value);
    return true;
  } catch {
    return false;
  }
}
