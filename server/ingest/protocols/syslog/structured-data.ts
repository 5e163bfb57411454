import type { StructuredDataElement } from './syslog-message.js';

/** RFC 5424 §6.3: SD-NAME is 1–32 printable US-ASCII characters other than '=', SP, ']' and '"'. */
const MAX_SD_NAME = 32;

export interface StructuredDataResult {
  elements: StructuredDataElement[];
  /** Index just past the structured data. */
  end: number;
}

/**
 * Reads STRUCTURED-DATA (one or more `[id name="value" …]` elements) starting at `start`, which holds
 * '['. Inside a value, `\"`, `\\` and `\]` are escapes; a backslash before anything else is itself
 * (RFC 5424 §6.3.3). Returns null when the text there is not well-formed structured data.
 */
export function readStructuredData(text: string, start: number): StructuredDataResult | null {
  const elements: StructuredDataElement[] = [];
  let i = start;
  while (text.charCodeAt(i) === 0x5b /* [ */) {
    const idEnd = nameEnd(text, i + 1);
    if (idEnd === i + 1 || idEnd - (i + 1) > MAX_SD_NAME) return null;
    const element: StructuredDataElement = { id: text.slice(i + 1, idEnd), params: [] };
    i = idEnd;
    while (text.charCodeAt(i) === 0x20) {
      const nameStart = i + 1;
      const end = nameEnd(text, nameStart);
      if (end === nameStart || end - nameStart > MAX_SD_NAME || text.charCodeAt(end) !== 0x3d /* = */ || text.charCodeAt(end + 1) !== 0x22) return null;
      const value = readParamValue(text, end + 2);
      if (value === null) return null;
      element.params.push([text.slice(nameStart, end), value.value]);
      i = value.end;
    }
    if (text.charCodeAt(i) !== 0x5d /* ] */) return null;
    elements.push(element);
    i += 1;
  }
  return elements.length === 0 ? null : { elements, end: i };
}

function nameEnd(text: string, start: number): number {
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x3d || c === 0x5d || c === 0x22) break;
  }
  return i;
}

/** From just past the opening quote to just past the closing one. */
function readParamValue(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let from = start;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return { value: value + text.slice(from, i), end: i + 1 };
    if (c === 0x5c /* \ */) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x22 || next === 0x5c || next === 0x5d) {
        value += text.slice(from, i);
        from = i + 1;
        i += 1;
      }
    }
  }
  return null;
}

/** How many distinct structured-data texts RecentStructuredData remembers. */
const RECENT_TEXTS = 4;

/**
 * readStructuredData for a stream of messages, which mostly repeat their structured data (rsyslog's
 * and logger's `[timeQuality …]`, an app's fixed `[meta …]`): the last few texts read are remembered
 * with their elements, and a message that starts with one of them, not followed by another element,
 * gets the same elements (shared: callers must not change them) without reading it again. A parse
 * depends only on the characters up to its end, so the result is the one readStructuredData gives.
 */
export class RecentStructuredData {
  private readonly recent: Array<{ text: string; result: StructuredDataElement[] }> = [];

  read(text: string, start: number): StructuredDataResult | null {
    for (const { text: known, result } of this.recent) {
      const end = start + known.length;
      if (text.charCodeAt(end) !== 0x5b /* [ */ && text.startsWith(known, start)) return { elements: result, end };
    }
    const read = readStructuredData(text, start);
    if (read === null) return null;
    if (this.recent.length === RECENT_TEXTS) this.recent.pop();
    this.recent.unshift({ text: text.slice(start, read.end), result: read.elements });
    return read;
  }
}
