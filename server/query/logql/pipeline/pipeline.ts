import type { PipelineStage } from '../ast.js';
import type { LineFilter } from '../../log-source.js';
import { RegexCache } from '../regex.js';
import { compileDropKeep, compileLabelFormat, compileLineFormat } from './format-stages.js';
import { compileJsonExtractions, extractJson } from './json-parser.js';
import { compileLabelFilter } from './label-filter.js';
import { LabelsBuilder } from './labels-builder.js';
import { compileLineFilter } from './line-filter.js';
import { extractLogfmt } from './logfmt-parser.js';
import { compileRegexpParser } from './regexp-parser.js';

/** What a pipeline reads from an entry (a SourceEntry fits). */
export interface PipelineInput {
  line: string;
  labels: Readonly<Record<string, string>>;
  fields?: Readonly<Record<string, unknown>>;
}

export interface PipelineOutput {
  line: string;
  /** Final label set, sorted by name, empty values left out. */
  labels: Record<string, string>;
}

/** One compiled stage: the new line, or null when the entry is dropped. */
type Step = (line: string, labels: LabelsBuilder) => string | null;

/**
 * A compiled LogQL pipeline: the stages of a log query, run on one entry at a time. Not re-entrant: it
 * reuses one LabelsBuilder, so each concurrent evaluation compiles its own pipeline (compiling is cheap;
 * regexes are compiled once per pipeline, or once per query when a RegexCache is shared).
 */
export class Pipeline {
  /** Line filters that see the original line (those before any line_format): hints for LogSource.select. */
  readonly lineFilterHints: LineFilter[];
  /** No stage can change labels, so the output label set is always the stream's. */
  readonly keepsStreamLabels: boolean;
  private readonly steps: Step[];
  private readonly builder = new LabelsBuilder();

  constructor(stages: readonly PipelineStage[], regexes: RegexCache = new RegexCache()) {
    this.steps = stages.map((stage) => compileStep(stage, regexes));
    this.lineFilterHints = [];
    for (const stage of stages) {
      if (stage.kind === 'line_format') break;
      if (stage.kind === 'line_filter') this.lineFilterHints.push({ op: stage.op, value: stage.value });
    }
    this.keepsStreamLabels = stages.every((s) => s.kind === 'line_filter' || s.kind === 'line_format');
  }

  /** Runs every stage; null when a filter drops the entry. */
  process(entry: PipelineInput): PipelineOutput | null {
    const line = this.run(entry);
    return line === null ? null : { line, labels: this.builder.labels() };
  }

  /**
   * Runs the stages and leaves the entry's labels in `labels` for a caller that reads more (unwrap).
   * Returns the final line or null.
   */
  run(entry: PipelineInput): string | null {
    this.builder.reset(entry.labels, entry.fields);
    let line: string | null = entry.line;
    for (const step of this.steps) {
      line = step(line, this.builder);
      if (line === null) return null;
    }
    return line;
  }

  /** The labels of the entry last passed to run(). */
  get labels(): LabelsBuilder {
    return this.builder;
  }
}

function compileStep(stage: PipelineStage, regexes: RegexCache): Step {
  switch (stage.kind) {
    case 'line_filter': {
      const test = compileLineFilter(stage, regexes);
      return (line) => (test(line) ? line : null);
    }
    case 'json': {
      const extract = stage.extractions.length === 0 ? extractJson : compileJsonExtractions(stage.extractions);
      return (line, labels) => {
        extract(line, labels);
        return line;
      };
    }
    case 'logfmt':
      return (line, labels) => {
        extractLogfmt(line, labels);
        return line;
      };
    case 'regexp': {
      const extract = compileRegexpParser(regexes.get(stage.pattern));
      return (line, labels) => {
        extract(line, labels);
        return line;
      };
    }
    case 'label_filter': {
      const test = compileLabelFilter(stage.filter, regexes);
      return (line, labels) => (test(labels) ? line : null);
    }
    case 'line_format':
      return compileLineFormat(stage);
    case 'label_format':
      return compileLabelFormat(stage);
    case 'drop':
    case 'keep':
      return compileDropKeep(stage, regexes);
  }
}
