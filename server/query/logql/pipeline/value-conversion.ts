import { parseByteSize } from '../byte-size.js';
import { parseGoDurationSeconds } from '../duration.js';

/** Go's strconv.ParseFloat, strictly (no surrounding spaces, unlike JS Number). */
const FLOAT = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

export function parseFloatLabel(text: string): number | undefined {
  if (!FLOAT.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (lower.endsWith('nan')) return NaN;
  if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

export type LabelConversion = 'number' | 'duration' | 'bytes';

/** A label value as a number: plain, a Go duration in seconds, or a byte size in bytes. */
export function convertLabelValue(text: string, conversion: LabelConversion): number | undefined {
  switch (conversion) {
    case 'number':
      return parseFloatLabel(text);
    case 'duration':
      return parseGoDurationSeconds(text);
    case 'bytes':
      return parseByteSize(text);
  }
}
