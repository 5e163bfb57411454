/**
 * Untrusted text (log lines, labels, rule names) split into pieces a component renders as plain text:
 * control characters, including ANSI escape sequences, become visible symbols instead of acting on the
 * terminal-like view, and only http/https URLs become links.
 */
export type TextPiece =
  | { kind: 'text'; text: string }
  | { kind: 'control'; text: string }
  | { kind: 'link'; text: string; href: string };

// ESC [ ... final byte: the CSI sequences that colour terminals; shown whole so "ESC[31m" reads as one thing.
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]/g;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/gi;

/** Caret notation (ESC → ^[, NUL → ^@, DEL → ^?), as terminals and `cat -v` show controls: readable in any font. */
export function visibleControl(sequence: string): string {
  return sequence.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\x7f' ? '^?' : `^${String.fromCharCode(0x40 + c.charCodeAt(0))}`));
}

/** The href for a URL found in text, or null if it is not a well-formed http(s) URL. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function splitInertText(text: string, { links = true }: { links?: boolean } = {}): TextPiece[] {
  const pieces: TextPiece[] = [];
  const pushText = (chunk: string) => {
    if (chunk === '') return;
    if (!links) return pieces.push({ kind: 'text', text: chunk });
    let last = 0;
    for (const match of chunk.matchAll(URL_PATTERN)) {
      // Trailing punctuation usually ends the sentence, not the URL.
      const url = match[0].replace(/[.,;:!?)\]]+$/, '');
      const href = safeHref(url);
      if (!href) continue;
      if (match.index > last) pieces.push({ kind: 'text', text: chunk.slice(last, match.index) });
      pieces.push({ kind: 'link', text: url, href });
      last = match.index + url.length;
    }
    if (last < chunk.length) pieces.push({ kind: 'text', text: chunk.slice(last) });
  };
  let last = 0;
  for (const match of text.matchAll(CONTROL)) {
    pushText(text.slice(last, match.index));
    pieces.push({ kind: 'control', text: visibleControl(match[0]) });
    last = match.index + match[0].length;
  }
  pushText(text.slice(last));
  return pieces;
}

/** Plain text with controls made visible (for titles, clipboard previews, chart legends). */
export function inertString(text: string): string {
  return text.replace(CONTROL, (m) => visibleControl(m));
}
