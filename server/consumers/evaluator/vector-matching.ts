/**
 * ADAPTER, to be replaced by the LogQL module's own vector ⨯ vector operation once it exports one
 * (the AST has `BinaryExpr.matching`, the engine does not evaluate it yet). PromQL one-to-one vector
 * matching: samples pair up when their labels agree on the `on` labels (or on all but the `ignoring`
 * ones; on all labels when no matching is given); the result carries the matching labels. A
 * comparison without `bool` keeps the left value where it holds; with `bool`, 1 or 0.
 */
import { SluiceError } from '../../errors.js';
import type { BinaryOp, VectorMatching } from '../../query/logql/ast.js';
import { isCompareOp } from '../../query/logql/ast.js';
import { applyScalarPair } from '../../query/logql/metric/binary-operation.js';
import { labelsKey, type Sample } from '../../query/logql/metric/sample.js';
import { groupLabels } from '../../query/logql/metric/vector-aggregation.js';

export function applyVectorOperation(op: BinaryOp, left: readonly Sample[], right: readonly Sample[], matching: VectorMatching | undefined, returnBool: boolean): Sample[] {
  const grouping = matching === undefined ? { without: true, labels: [] } : { without: !matching.on, labels: matching.labels };
  const byKey = new Map<string, Sample>();
  for (const sample of right) {
    const key = labelsKey(groupLabels(sample.labels, grouping));
    if (byKey.has(key)) throw manyToMany('right', key);
    byKey.set(key, sample);
  }
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const sample of left) {
    const labels = groupLabels(sample.labels, grouping);
    const key = labelsKey(labels);
    if (seen.has(key)) throw manyToMany('left', key);
    seen.add(key);
    const other = byKey.get(key);
    if (other === undefined) continue;
    const value = applyScalarPair(op, sample.value, other.value);
    if (isCompareOp(op) && !returnBool) {
      if (value === 1) out.push({ labels, value: sample.value });
    } else {
      out.push({ labels, value });
    }
  }
  return out;
}

function manyToMany(side: string, key: string): SluiceError {
  return new SluiceError('invalid_query', `found duplicate series for the match group ${key} on the ${side} side of a binary operation; aggregate first (e.g. sum by (...))`);
}
