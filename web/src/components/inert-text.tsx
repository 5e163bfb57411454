import { memo } from 'react';
import { splitInertText } from '../lib/inert-text';

/**
 * Renders untrusted text (log lines, labels, rule names) as text nodes only: control characters and
 * ANSI escapes show as visible symbols, http(s) URLs become links that open in a new tab without
 * handing over window.opener or the referrer.
 */
export const InertText = memo(function InertText({ text, links = true }: { text: string; links?: boolean }) {
  const pieces = splitInertText(text, { links });
  if (pieces.length === 1 && pieces[0]!.kind === 'text') return <>{text}</>;
  return (
    <>
      {pieces.map((piece, i) =>
        piece.kind === 'text' ? (
          piece.text
        ) : piece.kind === 'control' ? (
          <span key={i} className="control-char" title="control character (shown, not interpreted)">
            {piece.text}
          </span>
        ) : (
          <a key={i} href={piece.href} target="_blank" rel="noopener noreferrer nofollow">
            {piece.text}
          </a>
        ),
      )}
    </>
  );
});
