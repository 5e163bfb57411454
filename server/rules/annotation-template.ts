/**
 * Annotation and label templates of alert rules: the small part of Prometheus' Go templates that rule
 * files use in practice, e.g. `{{ $labels.service }}: {{ $value | humanize }} errors`.
 *
 * Supported actions: `{{ $labels.NAME }}`, `{{ $value }}`, `{{ $value | humanize }}`,
 * `{{ humanize $value }}`, `{{ printf "%.Nf" $value }}`. Anything else is a parse error when the rule
 * file loads, never at notification time. Templates only substitute text: nothing in a label value
 * can be evaluated, whatever it contains.
 */

type Part = { kind: 'text'; text: string } | { kind: 'label'; name: string } | { kind: 'value'; format: ValueFormat };
type ValueFormat = { kind: 'plain' } | { kind: 'humanize' } | { kind: 'fixed'; digits: number };

export interface AnnotationTemplate {
  source: string;
  parts: Part[];
}

export interface TemplateData {
  labels: Record<string, string>;
  value: number;
}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/gs;
const LABEL = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/;
const PRINTF_FIXED = /^printf\s+"%\.(\d)f"\s+\$value$/;

export function parseAnnotationTemplate(source: string): AnnotationTemplate {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(ACTION)) {
    if (match.index > last) parts.push({ kind: 'text', text: source.slice(last, match.index) });
    parts.push(parseAction(match[1]!.trim(), match.index));
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (rest.includes('{{')) throw new Error(`unclosed "{{" at character ${last + rest.indexOf('{{') + 1}`);
  if (rest.length > 0) parts.push({ kind: 'text', text: rest });
  return { source, parts };
}

function parseAction(action: string, index: number): Part {
  const label = LABEL.exec(action);
  if (label) return { kind: 'label', name: label[1]! };
  const compact = action.replace(/\s+/g, ' ');
  if (compact === '$value') return { kind: 'value', format: { kind: 'plain' } };
  if (compact === '$value | humanize' || compact === 'humanize $value') return { kind: 'value', format: { kind: 'humanize' } };
  const fixed = PRINTF_FIXED.exec(compact);
  if (fixed) return { kind: 'value', format: { kind: 'fixed', digits: Number(fixed[1]) } };
  throw new Error(
    `unsupported template action "{{ ${action.slice(0, 60)} }}" at character ${index + 1}; ` +
      'use $labels.NAME, $value, $value | humanize or printf "%.Nf" $value',
  );
}

export function renderAnnotation(template: AnnotationTemplate, data: TemplateData): string {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'label') out += data.labels[part.name] ?? '';
    else out += formatValue(data.value, part.format);
  }
  return out;
}

function formatValue(value: number, format: ValueFormat): string {
  switch (format.kind) {
    case 'plain':
      return String(value);
    case 'fixed':
      return value.toFixed(format.digits);
    case 'humanize':
      return humanize(value);
  }
}

/** Prometheus' humanize: SI prefixes, 4 significant digits. */
function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  const small = ['', 'm', 'u', 'n', 'p'];
  let v = value;
  let i = 0;
  if (Math.abs(v) >= 1) {
    while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
      v /= 1000;
      i++;
    }
    return `${Number(v.toPrecision(4))}${prefixes[i]}`;
  }
  while (Math.abs(v) < 1 && i < small.length - 1) {
    v *= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${small[i]}`;
}
