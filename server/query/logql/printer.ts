import type { Expr, Grouping, LabelFilterExpr, LabelMatcher, LogExpr, MetricExpr, PipelineStage, RangeAggregation, Unwrap } from './ast.js';
import { formatDuration } from './duration.js';

/**
 * Prints a syntax tree as canonical LogQL: one space around pipes and binary operators, matchers as
 * `name="value"`, strings double-quoted with escapes, durations in Prometheus form. For every tree the
 * parser returns, parsing the printed text gives the same tree (up to positions).
 */
export function printLogQL(expr: Expr): string {
  return expr.kind === 'log' ? printLog(expr) : printMetric(expr);
}

export function printSelector(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${quote(m.value)}`).join(', ')}}`;
}

function printLog(log: LogExpr): string {
  return [printSelector(log.matchers), ...log.stages.map(printStage)].join(' ');
}

function printStage(stage: PipelineStage): string {
  switch (stage.kind) {
    case 'line_filter':
      return `${stage.op} ${quote(stage.value)}`;
    case 'json':
      return stage.extractions.length === 0
        ? '| json'
        : `| json ${stage.extractions.map((e) => `${e.label}=${quote(printJsonPath(e.path))}`).join(', ')}`;
    case 'logfmt':
      return '| logfmt';
    case 'regexp':
      return `| regexp ${quote(stage.pattern)}`;
    case 'label_filter':
      return `| ${printFilter(stage.filter, 'none')}`;
    case 'line_format':
      return `| line_format ${quote(stage.template)}`;
    case 'label_format':
      return `| label_format ${stage.assignments.map((a) => `${a.target}=${a.kind === 'rename' ? a.source : quote(a.template)}`).join(', ')}`;
    case 'drop':
    case 'keep':
      return `| ${stage.kind} ${stage.targets.map((t) => (t.matcher === undefined ? t.name : `${t.name}${t.matcher.op}${quote(t.matcher.value)}`)).join(', ')}`;
  }
}

/**
 * Parsing is left-associative with `and` binding tighter than `or`; parentheses are printed exactly
 * where that would otherwise change the tree's shape.
 */
function printFilter(filter: LabelFilterExpr, parent: 'none' | 'and-left' | 'and-right' | 'or-right'): string {
  switch (filter.kind) {
    case 'and': {
      const text = `${printFilter(filter.left, 'and-left')} and ${printFilter(filter.right, 'and-right')}`;
      return parent === 'and-right' ? `(${text})` : text;
    }
    case 'or': {
      const text = `${printFilter(filter.left, 'none')} or ${printFilter(filter.right, 'or-right')}`;
      return parent === 'none' ? text : `(${text})`;
    }
    case 'string':
      return `${filter.name}${filter.op}${quote(filter.value)}`;
    default:
      return `${filter.name} ${filter.op} ${filter.text}`;
  }
}

function printJsonPath(path: readonly (string | number)[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[^.[\]"]+$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `["${segment.replace(/["\\]/g, '\\$&')}"]`;
    })
    .join('');
}

function printUnwrap(unwrap: Unwrap): string {
  const target = unwrap.conversion === 'none' ? unwrap.label : `${unwrap.conversion}(${unwrap.label})`;
  return [`| unwrap ${target}`, ...unwrap.postFilters.map(printStage)].join(' ');
}

function printRange(node: RangeAggregation): string {
  const source =
    node.source.kind === 'metric_selector'
      ? `${node.source.name}${node.source.matchers.length === 0 ? '' : printSelector(node.source.matchers)}`
      : [printLog(node.source.log), ...(node.source.unwrap === undefined ? [] : [printUnwrap(node.source.unwrap)])].join(' ');
  // Loki's canonical form: `{a="b"}[5m]`, but `{a="b"} |= "x" [5m]` once there is a pipeline.
  const bare = node.source.kind === 'metric_selector' || (node.source.log.stages.length === 0 && node.source.unwrap === undefined);
  const separator = bare ? '' : ' ';
  const offset = node.offsetNs === 0n ? '' : ` offset ${formatDuration(node.offsetNs)}`;
  const param = node.param === undefined ? '' : `${formatNumber(node.param)}, `;
  return `${node.fn}(${param}${source}${separator}[${formatDuration(node.rangeNs)}]${offset})${printGrouping(node.grouping, true)}`;
}

function printGrouping(grouping: Grouping | undefined, leadingSpace: boolean): string {
  if (grouping === undefined) return '';
  return `${leadingSpace ? ' ' : ''}${grouping.without ? 'without' : 'by'} (${grouping.labels.join(', ')})`;
}

const PRECEDENCE: Record<string, number> = { '==': 1, '!=': 1, '>': 1, '>=': 1, '<': 1, '<=': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3, '^': 4 };

function printMetric(expr: MetricExpr): string {
  switch (expr.kind) {
    case 'number':
      return formatNumber(expr.value);
    case 'vector':
      return `vector(${formatNumber(expr.value)})`;
    case 'range_agg':
      return printRange(expr);
    case 'vector_agg': {
      const param = expr.param === undefined ? '' : `${expr.param}, `;
      const grouping = printGrouping(expr.grouping, false);
      return `${expr.op}${grouping === '' ? '' : ` ${grouping} `}(${param}${printMetric(expr.inner)})`;
    }
    case 'binary': {
      const precedence = PRECEDENCE[expr.op]!;
      const rightAssociative = expr.op === '^';
      const left = wrapIfLooser(expr.left, rightAssociative ? precedence + 1 : precedence);
      const right = wrapIfLooser(expr.right, rightAssociative ? precedence : precedence + 1);
      const matching = expr.matching === undefined ? '' : ` ${expr.matching.on ? 'on' : 'ignoring'} (${expr.matching.labels.join(', ')})`;
      return `${left} ${expr.op}${expr.returnBool ? ' bool' : ''}${matching} ${right}`;
    }
  }
}

function wrapIfLooser(expr: MetricExpr, minPrecedence: number): string {
  const text = printMetric(expr);
  const needsParens = (expr.kind === 'binary' && PRECEDENCE[expr.op]! < minPrecedence) || (expr.kind === 'number' && expr.value < 0 && minPrecedence > 1);
  return needsParens ? `(${text})` : text;
}

function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Double-quoted with escapes the lexer reads back (JSON's escapes are a subset of Go's). */
export function quote(value: string): string {
  return JSON.stringify(value).replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
