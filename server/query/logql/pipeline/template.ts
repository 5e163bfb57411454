/**
 * The template language of `line_format` and `label_format`: Loki uses Go's text/template, we accept
 * only its substitution subset, `{{.label}}` (a missing label prints as "") and `{{__line__}}` (the
 * current line). Anything else inside `{{ }}` is rejected at parse time; nothing in a template is ever
 * executed.
 */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'label'; name: string } | { kind: 'line' };

export interface CompiledTemplate {
  parts: TemplatePart[];
  /** Labels the template reads (for the pipeline to know what it depends on). */
  labels: string[];
}

export type TemplateParseResult = { template: CompiledTemplate } | { error: string; offset: number };

const ACTION = /^\s*(?:\.([a-zA-Z_][a-zA-Z0-9_]*)|(__line__))\s*$/;

export function parseTemplate(text: string): TemplateParseResult {
  const parts: TemplatePart[] = [];
  const labels: string[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      parts.push({ kind: 'text', text: text.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { error: 'unclosed action in template (missing "}}")', offset: open };
    const action = ACTION.exec(text.slice(open + 2, close));
    if (action === null) {
      return { error: `unsupported template action ${JSON.stringify(text.slice(open, close + 2))}: only {{.label}} and {{__line__}} are supported`, offset: open };
    }
    if (action[1] !== undefined) {
      parts.push({ kind: 'label', name: action[1] });
      labels.push(action[1]);
    } else {
      parts.push({ kind: 'line' });
    }
    at = close + 2;
  }
  return { template: { parts, labels } };
}

export function renderTemplate(template: CompiledTemplate, lookup: (name: string) => string | undefined, line: string): string {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'label') out += lookup(part.name) ?? '';
    else out += line;
  }
  return out;
}
