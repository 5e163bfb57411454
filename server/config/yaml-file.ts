import { LineCounter, parseDocument, isMap, isScalar, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { SluiceError } from '../errors.js';

/** Largest YAML file we read: config and rule files are small; anything bigger is a mistake or an attack. */
const MAX_YAML_BYTES = 1024 * 1024;
/** Aliases a document may expand: enough for real reuse, far too few for a "billion laughs" bomb. */
const MAX_ALIAS_COUNT = 50;

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** A problem in a YAML file, located as file:line:col. */
export class YamlFileError extends SluiceError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super('invalid_config', `${file}:${line}:${col}: ${detail}`);
  }
}

/** A YAML file parsed safely, before schema validation: its plain value and a way back to positions. */
export interface YamlSource {
  file: string;
  text: string;
  value: unknown;
  doc: Document;
  /** The 1-based line and column of an offset of the text. */
  positionAt(offset: number): { line: number; col: number };
  /** An error at an offset of the text. */
  errorAt(offset: number, detail: string): YamlFileError;
  /** An error at the node a value path points to (the deepest existing node along it). */
  errorAtPath(path: Array<string | number>, detail: string): YamlFileError;
}

/**
 * Parses a YAML file safely, reporting every problem with its position. Safe means: the core schema
 * only (no !!js/function or any custom tag: an unknown tag is an error, not a string), a cap on
 * aliases, no merge keys, no `__proto__` keys, and a size limit.
 */
export function readYamlSource(file: string, text: string): YamlSource {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) throw new YamlFileError(file, 1, 1, `file is larger than ${MAX_YAML_BYTES} bytes`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', merge: false, uniqueKeys: true, prettyErrors: false, strict: true });
  const errorAt = (offset: number, detail: string) => {
    const { line, col } = lineCounter.linePos(offset);
    return new YamlFileError(file, line, col, detail);
  };
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw errorAt(problem.pos[0], problem.message.split('\n')[0]!);
  rejectUnsafeNodes(doc, errorAt);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw errorAt(0, (err as Error).message);
  }
  const errorAtPath = (path: Array<string | number>, detail: string) => errorAt(nodeAt(doc, path)?.range?.[0] ?? 0, detail);
  return { file, text, value, doc, positionAt: (offset) => lineCounter.linePos(offset), errorAt, errorAtPath };
}

/** Parses a YAML file safely (see readYamlSource) and validates it against a zod schema. */
export function parseYamlFile<T extends z.ZodType>(file: string, text: string, schema: T): z.infer<T> {
  return validateYamlSource(readYamlSource(file, text), schema);
}

/** Validates a parsed YAML file against a zod schema; the first problem is reported at its node. */
export function validateYamlSource<T extends z.ZodType>(source: YamlSource, schema: T): z.infer<T> {
  const { doc } = source;
  const result = schema.safeParse(source.value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path as Array<string | number>;
  let node: Node | null;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    // An unknown key is reported at the key itself, not at the start of the mapping that holds it.
    node = keyNodeAt(doc, path, issue.keys[0]);
  } else if (issue.code === 'invalid_key') {
    // A record key that fails its own schema (e.g. a label name): point at the key, with the key rule's message.
    node = keyNodeAt(doc, path.slice(0, -1), String(path[path.length - 1]));
    message = issue.issues[0]?.message ?? message;
  } else {
    node = null;
  }
  node ??= nodeAt(doc, path);
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  throw source.errorAt(node?.range?.[0] ?? 0, `${where}${message}`);
}

function rejectUnsafeNodes(doc: Document, at: (offset: number, detail: string) => YamlFileError): void {
  let error: YamlFileError | null = null;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (isScalar(key) && (key.value === '__proto__' || key.value === 'constructor' || key.value === 'prototype')) {
        error ??= at(key.range?.[0] ?? 0, `key ${JSON.stringify(key.value)} is not allowed`);
        return visit.BREAK;
      }
      return undefined;
    },
    Node(_, node) {
      if (node.tag && !CORE_TAGS.has(node.tag)) {
        error ??= at(node.range?.[0] ?? 0, `tag ${node.tag} is not allowed`);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (error) throw error;
}

/** The key node named `key` in the mapping at `path`, or null. */
function keyNodeAt(doc: Document, path: Array<string | number>, key: string | undefined): Node | null {
  if (key === undefined) return null;
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return null;
  for (const pair of map.items) if (isScalar(pair.key) && pair.key.value === key) return pair.key;
  return null;
}

/** The deepest node along `path` (zod issue paths point into the parsed value). */
function nodeAt(doc: Document, path: Array<string | number>): Node | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    // For a missing key this stops at the map that should hold it.
    if (node && typeof node === 'object' && 'range' in node) return node;
    if (depth === 0 && isMap(doc.contents)) return doc.contents;
  }
  return null;
}
