import type { ArithmeticOp, BinaryOp, VectorMatching } from '../ast.js';
import { isCompareOp } from '../ast.js';
import { comparator } from '../pipeline/label-filter.js';
import { queryExecutionError } from '../query-error.js';
import { arithmetic } from './binary-operation.js';
import { labelsKey, sortLabels, type Sample } from './sample.js';

const METRIC_NAME_LABEL = '__name__';

/**
 * `left op right` between two instant vectors, PromQL's one-to-one matching: a left sample pairs with
 * the right sample whose labels agree on the matching labels (all labels but `__name__` by default,
 * only the `on` ones, or all but the `ignoring` ones); unmatched samples are dropped. Arithmetic gives
 * `l op r`; a comparison keeps the left sample where it holds (its value, not the right one), or with
 * `bool` gives 1 or 0 for every pair. Result labels are the left sample's, reduced to the `on` labels
 * or without the `ignoring` ones. The output follows the left side's order.
 *
 * Two right samples with the same match key, or two left samples matching the same right sample, make
 * the pairing ambiguous: that is an error, with Prometheus' wording (group_left/right are not supported).
 */
export function applyVectorOperation(op: BinaryOp, left: readonly Sample[], right: readonly Sample[], matching: VectorMatching | undefined, returnBool: boolean): Sample[] {
  const rightByKey = new Map<string, Sample>();
  for (const sample of right) {
    const key = matchKey(sample.labels, matching);
    const duplicate = rightByKey.get(key);
    if (duplicate !== undefined) {
      throw queryExecutionError(
        `found duplicate series for the match group ${key} on the right hand-side of the operation: [${labelsKey(sample.labels)}, ${labelsKey(duplicate.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightByKey.set(key, sample);
  }
  const compare = isCompareOp(op) ? comparator(op) : undefined;
  const dropName = compare === undefined || returnBool;
  const matched = new Set<string>();
  const out: Sample[] = [];
  for (const sample of left) {
    const key = matchKey(sample.labels, matching);
    const partner = rightByKey.get(key);
    if (partner === undefined) continue;
    let value: number;
    if (compare === undefined) value = arithmetic(op as ArithmeticOp, sample.value, partner.value);
    else if (returnBool) value = compare(sample.value, partner.value) ? 1 : 0;
    else if (compare(sample.value, partner.value)) value = sample.value;
    else continue;
    if (matched.has(key)) throw queryExecutionError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
    matched.add(key);
    out.push({ labels: resultLabels(sample.labels, matching, dropName), value });
  }
  return out;
}

function matchKey(labels: Readonly<Record<string, string>>, matching: VectorMatching | undefined): string {
  const kept: Record<string, string> = {};
  if (matching?.on === true) {
    for (const name of matching.labels) if (Object.hasOwn(labels, name)) kept[name] = labels[name]!;
  } else {
    const ignored = matching?.labels ?? [];
    for (const name of Object.keys(labels)) if (name !== METRIC_NAME_LABEL && !ignored.includes(name)) kept[name] = labels[name]!;
  }
  return labelsKey(kept);
}

/** Prometheus drops the metric name when the value no longer is the metric's (arithmetic, bool). */
function resultLabels(labels: Readonly<Record<string, string>>, matching: VectorMatching | undefined, dropName: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels)) {
    if (dropName && name === METRIC_NAME_LABEL) continue;
    if (matching !== undefined && matching.labels.includes(name) !== matching.on) continue;
    out[name] = labels[name]!;
  }
  return sortLabels(out);
}
