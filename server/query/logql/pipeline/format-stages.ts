import type { DropStage, KeepStage, LabelFormatStage, LabelTarget, LineFormatStage } from '../ast.js';
import { compileValueMatcher } from '../matchers.js';
import type { RegexCache } from '../regex.js';
import type { LabelsBuilder } from './labels-builder.js';
import { parseTemplate, renderTemplate, type CompiledTemplate } from './template.js';

export type LineStage = (line: string, labels: LabelsBuilder) => string;

export function compileLineFormat(stage: LineFormatStage): LineStage {
  const template = mustParse(stage.template);
  return (line, labels) => renderTemplate(template, (name) => labels.get(name), line);
}

/** All assignments read the labels as they were before the stage (Loki renders them from one snapshot). */
export function compileLabelFormat(stage: LabelFormatStage): LineStage {
  const assignments = stage.assignments.map((a) => (a.kind === 'rename' ? a : { ...a, compiled: mustParse(a.template) }));
  return (line, labels) => {
    const values = assignments.map((a) => (a.kind === 'rename' ? (labels.get(a.source) ?? '') : renderTemplate(a.compiled, (name) => labels.get(name), line)));
    assignments.forEach((a, i) => {
      if (a.kind === 'rename' && a.source !== a.target) labels.delete(a.source);
      labels.set(a.target, values[i]!);
    });
    return line;
  };
}

export function compileDropKeep(stage: DropStage | KeepStage, regexes: RegexCache): LineStage {
  const targets = stage.targets.map((t) => ({ name: t.name, test: targetTest(t, regexes) }));
  if (stage.kind === 'drop') {
    return (line, labels) => {
      for (const { name, test } of targets) if (test(labels.get(name))) labels.delete(name);
      return line;
    };
  }
  return (line, labels) => {
    for (const name of labels.names()) {
      const kept = targets.some((t) => t.name === name && t.test(labels.get(name)));
      if (!kept) labels.delete(name);
    }
    return line;
  };
}

function targetTest(target: LabelTarget, regexes: RegexCache): (value: string | undefined) => boolean {
  if (target.matcher === undefined) return () => true;
  return compileValueMatcher(target.matcher.op, target.matcher.value, regexes);
}

function mustParse(text: string): CompiledTemplate {
  const result = parseTemplate(text);
  if ('error' in result) throw new Error(`template ${JSON.stringify(text)} passed the parser but does not compile: ${result.error}`);
  return result.template;
}
