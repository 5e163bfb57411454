import { InertText } from './inert-text';

/** The parsed value if `text` is a JSON object or array, else null. */
export function parseJsonObject(text: string): unknown {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Pretty-printed JSON, as text (string values may hold anything). */
export function JsonView({ value }: { value: unknown }) {
  return (
    <pre className="json-view" style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', background: 'var(--code-bg)', padding: 8, borderRadius: 6 }}>
      <InertText text={JSON.stringify(value, null, 2)} />
    </pre>
  );
}
