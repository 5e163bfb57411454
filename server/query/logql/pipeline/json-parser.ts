import type { JsonExtraction } from '../ast.js';
import { flattenObject, scalarText } from './flatten.js';
import type { LabelsBuilder } from './labels-builder.js';

/** `| json`: every field of a JSON object line becomes a label (see flatten.ts); a non-object line is an error. */
export function extractJson(line: string, labels: LabelsBuilder): void {
  const object = parseObject(line, labels);
  if (object !== undefined) flattenObject(object, (name, value) => labels.setExtracted(name, value));
}

/**
 * `| json a="x.y[0]"`: only the given paths. A path that reaches an object or array yields its JSON text,
 * a missing path yields nothing, as in Loki.
 */
export function compileJsonExtractions(extractions: readonly JsonExtraction[]): (line: string, labels: LabelsBuilder) => void {
  return (line, labels) => {
    const object = parseObject(line, labels);
    if (object === undefined) return;
    for (const { label, path } of extractions) {
      let node: unknown = object;
      for (const segment of path) {
        if (node === null || typeof node !== 'object') {
          node = undefined;
          break;
        }
        if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
        else node = !Array.isArray(node) && Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
      }
      if (node === undefined) continue;
      labels.setExtracted(label, node !== null && typeof node === 'object' ? JSON.stringify(node) : scalarText(node));
    }
  };
}

function parseObject(line: string, labels: LabelsBuilder): Record<string, unknown> | undefined {
  // Most non-JSON lines are caught here: a thrown SyntaxError costs far more than the parse itself.
  if (!line.trimStart().startsWith('{')) {
    labels.setError('JSONParserErr', 'the line is not a JSON object');
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    labels.setError('JSONParserErr', err instanceof Error ? err.message : String(err));
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    labels.setError('JSONParserErr', 'the line is not a JSON object');
    return undefined;
  }
  return value as Record<string, unknown>;
}
