/** One element of an instant vector: a series' labels and its value at one evaluation time. */
export interface Sample {
  /** Sorted by name. */
  labels: Record<string, string>;
  value: number;
}

/** Identity of a label set: its canonical text `{a="1", b="2"}` (names sorted), also fit for messages. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (!isSorted(names)) names.sort();
  let key = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = labels[name]!;
    key += `${i === 0 ? '' : ', '}${name}="${NEEDS_ESCAPE.test(value) ? JSON.stringify(value).slice(1, -1) : value}"`;
  }
  return `${key}}`;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (names[i - 1]! > names[i]!) return false;
  return true;
}

export function sortLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) sorted[name] = labels[name]!;
  return sorted;
}

/**
 * labelsKey remembering the last label-set object, for one query's hot loop: sources and pipelines often
 * hand out the same (immutable) object for a run of entries of one stream.
 */
export class LabelsKeyCache {
  private last: object | undefined;
  private lastKey = '';

  keyOf(labels: Readonly<Record<string, string>>): string {
    if (labels !== this.last) {
      this.lastKey = labelsKey(labels);
      this.last = labels;
    }
    return this.lastKey;
  }
}
