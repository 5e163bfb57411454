import { useState } from 'react';

/** Copies text to the clipboard; where the Clipboard API is unavailable (plain http), shows the text to copy by hand. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  if (state === 'manual') {
    return <input className="input mono small" style={{ width: 360 }} readOnly value={text} autoFocus onFocus={(e) => e.currentTarget.select()} aria-label="Link to copy" />;
  }
  return (
    <button
      className="btn small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setState('copied');
          setTimeout(() => setState('idle'), 1500);
        } catch {
          setState('manual');
        }
      }}
    >
      {state === 'copied' ? 'Copied' : label}
    </button>
  );
}
