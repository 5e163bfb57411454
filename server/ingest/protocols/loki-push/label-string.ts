import { SluiceError } from '../../../errors.js';
import { parseStreamSelector } from '../../../query/logql/index.js';

/**
 * The labels of a protobuf stream, written as Prometheus' label-set text (`{job="api", level="info"}`).
 * Loki reads it with its LogQL selector parser and accepts equality matchers only; so does this, with
 * Sluice's LogQL parser (same quoting and escapes). Label names and values are validated later, by the
 * Ingestor, as for every other way in.
 */
export function parseLabelString(text: string): Record<string, string> {
  let matchers;
  try {
    matchers = parseStreamSelector(text);
  } catch (err) {
    throw labelError(text, (err as Error).message);
  }
  const labels: Record<string, string> = {};
  for (const { name, op, value } of matchers) {
    if (op !== '=') throw labelError(text, `only name="value" pairs are allowed, not ${op}`);
    if (Object.hasOwn(labels, name)) throw labelError(text, `duplicate label name ${JSON.stringify(name)}`);
    labels[name] = value;
  }
  return labels;
}

function labelError(text: string, reason: string): SluiceError {
  return new SluiceError('invalid_request', `error parsing labels ${JSON.stringify(text.slice(0, 200))}: ${reason}`);
}
