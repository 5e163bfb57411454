import { labelValue } from '../matchers.js';
import { flattenObject } from './flatten.js';

export const ERROR_LABEL = '__error__';
export const ERROR_DETAILS_LABEL = '__error_details__';

/** Loki's `__error__` values. */
export type PipelineErrorKind = 'JSONParserErr' | 'LogfmtParserErr' | 'LabelFilterErr' | 'SampleExtractionErr';

/**
 * The label set of one entry while it moves through a pipeline, in three layers, as Loki's LabelsBuilder:
 * the stream labels, labels set by stages (parsers, label_format, errors), and the entry's structured
 * `fields`. Lookups see all three (stage labels first, then stream labels, then fields); the output label
 * set is the stream labels plus the stage labels — fields are reachable by every stage but only become
 * labels when a stage copies them (`| label_format status=status`), so they never split a stream.
 *
 * A parser that extracts a name the stream already has writes `<name>_extracted` instead, as Loki does.
 * Empty values are absent (Prometheus semantics), so they are left out of the output.
 *
 * One builder is reused for every entry (reset) — a pipeline processes one entry at a time.
 */
export class LabelsBuilder {
  private stream: Readonly<Record<string, string>> = {};
  private rawFields: Readonly<Record<string, unknown>> | undefined;
  private fields: Map<string, string> | undefined;
  private readonly added = new Map<string, string>();
  private readonly deleted = new Set<string>();

  reset(stream: Readonly<Record<string, string>>, fields: Readonly<Record<string, unknown>> | undefined): void {
    this.stream = stream;
    this.rawFields = fields;
    this.fields = undefined;
    this.added.clear();
    this.deleted.clear();
  }

  get(name: string): string | undefined {
    const added = this.added.get(name);
    if (added !== undefined) return added;
    if (!this.deleted.has(name)) {
      const value = labelValue(this.stream, name);
      if (value !== undefined) return value;
    }
    return this.fieldValue(name);
  }

  /** A parser's extraction: renamed to `<name>_extracted` when the stream has that label. */
  setExtracted(name: string, value: string): void {
    this.added.set(Object.hasOwn(this.stream, name) ? `${name}_extracted` : name, value);
  }

  /** A label_format assignment: overrides a stream label of the same name. */
  set(name: string, value: string): void {
    this.added.set(name, value);
  }

  delete(name: string): void {
    this.added.delete(name);
    this.deleted.add(name);
  }

  hasError(): boolean {
    return this.added.has(ERROR_LABEL);
  }

  setError(kind: PipelineErrorKind, details: string): void {
    // The first error wins, as in Loki: later stages should not hide what went wrong first.
    if (this.hasError()) return;
    this.added.set(ERROR_LABEL, kind);
    this.added.set(ERROR_DETAILS_LABEL, details);
  }

  /** Names of the output label set. */
  names(): string[] {
    const names = new Set<string>();
    for (const name of Object.keys(this.stream)) if (!this.deleted.has(name)) names.add(name);
    for (const name of this.added.keys()) names.add(name);
    return [...names];
  }

  /** The output label set, sorted by name, without empty values. Unchanged stream labels are returned as is. */
  labels(): Record<string, string> {
    if (this.added.size === 0 && this.deleted.size === 0) return this.stream as Record<string, string>;
    const out: Record<string, string> = {};
    for (const name of this.names().sort()) {
      const value = this.added.get(name) ?? labelValue(this.stream, name);
      if (value !== undefined && value !== '') out[name] = value;
    }
    return out;
  }

  private fieldValue(name: string): string | undefined {
    if (this.rawFields === undefined) return undefined;
    if (this.fields === undefined) {
      const fields = new Map<string, string>();
      flattenObject(this.rawFields, (key, value) => fields.set(Object.hasOwn(this.stream, key) ? `${key}_extracted` : key, value));
      this.fields = fields;
    }
    return this.fields.get(name);
  }
}
