/**
 * Alert rule files (`rules/*.yaml`): the Prometheus / Loki ruler file shape, so habits carry over.
 *
 *   groups:
 *     - name: checkout
 *       interval: 10s
 *       rules:
 *         - alert: CheckoutErrors
 *           expr: sum by (service) (count_over_time({service="checkout", level="error"}[5m])) > 10
 *           for: 1m
 *           keepFiringFor: 2m
 *           labels: { severity: page }
 *           annotations: { summary: "{{ $labels.service }}: {{ $value }} errors in 5m" }
 *
 * A file is parsed whole or not at all: every problem is reported as file:line:col (an expression's
 * LogQL error at its exact character inside the YAML scalar), and a file with any problem yields no
 * rules, so a half-valid file never half-runs.
 */
import { isScalar, type Scalar } from 'yaml';
import { z } from 'zod';
import { readYamlSource, validateYamlSource, YamlFileError, type YamlSource } from '../config/yaml-file.js';
import { isLogExpr, type Expr } from '../query/logql/ast.js';
import { parseDurationNs } from '../query/logql/duration.js';
import { parseLogQL } from '../query/logql/parser.js';
import { LogQLParseError } from '../query/logql/query-error.js';
import { parseAnnotationTemplate, type AnnotationTemplate } from './annotation-template.js';

export interface RulePosition {
  file: string;
  line: number;
  col: number;
}

export interface AlertRule {
  /** `alert:` — the alert's name, also its `alertname` label. */
  name: string;
  group: string;
  expr: string;
  query: Expr;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, AnnotationTemplate>;
  /** 'alert': a series seen in the last `noDataWindows` evaluations that goes silent fires (as "no data"). */
  noData: 'ok' | 'alert';
  noDataWindows: number;
  position: RulePosition;
}

export interface RuleGroup {
  name: string;
  file: string;
  intervalMs: number;
  rules: AlertRule[];
}

export const DEFAULT_GROUP_INTERVAL_MS = 60_000;
const DEFAULT_NO_DATA_WINDOWS = 3;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const duration = z.string().min(1);
const labelMap = z.record(z.string().regex(LABEL_NAME, 'label names must match [a-zA-Z_][a-zA-Z0-9_]*'), z.string());

const ruleSchema = z.strictObject({
  alert: z.string().regex(LABEL_NAME, 'alert names must match [a-zA-Z_][a-zA-Z0-9_]*'),
  expr: z.string().min(1),
  for: duration.optional(),
  keepFiringFor: duration.optional(),
  keep_firing_for: duration.optional(),
  labels: labelMap.optional(),
  annotations: labelMap.optional(),
  noData: z.enum(['ok', 'alert']).optional(),
  noDataWindows: z.number().int().min(1).max(1000).optional(),
});

const fileSchema = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(200),
        interval: duration.optional(),
        rules: z.array(ruleSchema),
      }),
    )
    .default([]),
});

/** Parses one rule file; throws the first problem as a YamlFileError (code invalid_config). See parseRuleFileAll. */
export function parseRuleFile(file: string, text: string): RuleGroup[] {
  const result = parseRuleFileAll(file, text);
  if (result.errors.length > 0) throw result.errors[0];
  return result.groups;
}

/**
 * Parses one rule file and collects every problem it can find (structure errors stop at the first;
 * expression, duration and template errors are all listed). `groups` is empty when there is any error.
 */
export function parseRuleFileAll(file: string, text: string): { groups: RuleGroup[]; errors: YamlFileError[] } {
  let source: YamlSource;
  let shape: z.infer<typeof fileSchema>;
  try {
    source = readYamlSource(file, text);
    shape = validateYamlSource(source, fileSchema);
  } catch (err) {
    if (err instanceof YamlFileError) return { groups: [], errors: [err] };
    throw err;
  }
  const errors: YamlFileError[] = [];
  const groupNames = new Set<string>();
  const groups = shape.groups.map((g, gi): RuleGroup => {
    if (groupNames.has(g.name)) errors.push(source.errorAtPath(['groups', gi, 'name'], `group name ${JSON.stringify(g.name)} is used twice in this file`));
    groupNames.add(g.name);
    const durationAt = (path: Array<string | number>, text: string | undefined, fallback: number): number => {
      if (text === undefined) return fallback;
      const ns = parseDurationNs(text);
      if (ns !== undefined) return Number(ns / 1_000_000n);
      errors.push(source.errorAtPath(path, `${path[path.length - 1]}: ${JSON.stringify(text)} is not a duration (e.g. 30s, 5m, 1h30m)`));
      return fallback;
    };
    const intervalMs = durationAt(['groups', gi, 'interval'], g.interval, DEFAULT_GROUP_INTERVAL_MS);
    if (intervalMs <= 0) errors.push(source.errorAtPath(['groups', gi, 'interval'], 'interval must be positive'));
    const rules = g.rules.map((r, ri): AlertRule => {
      const at = (...rest: Array<string | number>) => ['groups', gi, 'rules', ri, ...rest];
      if (r.keepFiringFor !== undefined && r.keep_firing_for !== undefined) {
        errors.push(source.errorAtPath(at('keep_firing_for'), 'give keepFiringFor or keep_firing_for, not both'));
      }
      const annotations: Record<string, AnnotationTemplate> = {};
      for (const [name, template] of Object.entries(r.annotations ?? {})) {
        try {
          annotations[name] = parseAnnotationTemplate(template);
        } catch (err) {
          errors.push(source.errorAtPath(at('annotations', name), `annotation ${name}: ${(err as Error).message}`));
        }
      }
      const keyNode = source.doc.getIn(at('alert'), true) as Scalar | undefined;
      const { line, col } = source.positionAt(keyNode?.range?.[0] ?? 0);
      return {
        name: r.alert,
        group: g.name,
        expr: r.expr,
        query: parseExprAt(source, at('expr'), r.expr, errors),
        forMs: durationAt(at('for'), r.for, 0),
        keepFiringForMs: durationAt(at(r.keepFiringFor !== undefined ? 'keepFiringFor' : 'keep_firing_for'), r.keepFiringFor ?? r.keep_firing_for, 0),
        labels: r.labels ?? {},
        annotations,
        noData: r.noData ?? 'ok',
        noDataWindows: r.noDataWindows ?? DEFAULT_NO_DATA_WINDOWS,
        position: { file, line, col },
      };
    });
    return { name: g.name, file, intervalMs, rules };
  });
  return errors.length > 0 ? { groups: [], errors } : { groups, errors };
}

/** Parses a rule's expression; a LogQL error is reported at its character inside the YAML scalar. */
function parseExprAt(source: YamlSource, path: Array<string | number>, expr: string, errors: YamlFileError[]): Expr {
  try {
    const query = parseLogQL(expr);
    if (isLogExpr(query)) {
      const node = source.doc.getIn(path, true);
      const detail = 'expr: an alert needs a metric query with a value, e.g. count_over_time({...}[5m]) > 0; this is a log query';
      errors.push(isScalar(node) ? source.errorAt(scalarTextOffset(source, node, 0), detail) : source.errorAtPath(path, detail));
    }
    return query;
  } catch (err) {
    if (!(err instanceof LogQLParseError)) throw err;
    const node = source.doc.getIn(path, true);
    errors.push(isScalar(node) ? source.errorAt(scalarTextOffset(source, node, err.position), `expr: ${err.detail}`) : source.errorAtPath(path, `expr: ${err.detail}`));
    return undefined as unknown as Expr;
  }
}

/**
 * Maps an offset within a scalar's value to an offset in the file. Exact for plain and quoted scalars
 * without escapes and for literal blocks (`|`); for folded or escaped scalars it may point a little
 * off, but always inside the scalar.
 */
export function scalarTextOffset(source: YamlSource, node: Scalar, valueOffset: number): number {
  const text = source.text;
  const [start, valueEnd] = node.range ?? [0, 0];
  const clampTo = (offset: number) => Math.max(start, Math.min(offset, Math.max(start, valueEnd - 1)));
  switch (node.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return clampTo(quotedOffset(text, start, node.type === 'QUOTE_DOUBLE', valueOffset));
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      // The value starts on the line after the block header; each value line sits at the block's indentation.
      let offset = text.indexOf('\n', start) + 1;
      const indent = /^[ ]*/.exec(text.slice(offset))![0].length;
      const value = String(node.value);
      const lines = value.slice(0, valueOffset).split('\n');
      for (let i = 0; i < lines.length - 1; i++) offset = text.indexOf('\n', offset) + 1;
      return clampTo(offset + indent + lines[lines.length - 1]!.length);
    }
    default:
      return clampTo(start + valueOffset);
  }
}

/** Walks a quoted scalar's source, one value character per escape (`\"`, `\u00e9`, `''`), to `valueOffset`. */
function quotedOffset(text: string, start: number, double: boolean, valueOffset: number): number {
  let at = start + 1;
  for (let n = 0; n < valueOffset && at < text.length; n++) {
    if (double && text[at] === '\\') {
      const kind = text[at + 1];
      at += kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
    } else if (!double && text[at] === "'" && text[at + 1] === "'") {
      at += 2;
    } else {
      at += 1;
    }
  }
  return at;
}
