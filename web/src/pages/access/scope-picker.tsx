import { SCOPES, type Scope } from '../../api/auth-types';

const DESCRIPTIONS: Record<Scope, string> = {
  ingest: 'write logs, metrics and records',
  read: 'search, browse, view alerts',
  admin: 'change topics, rules, silences, tokens, users (and everything else)',
};

/** Checkboxes for the scopes of a token or an account. */
export function ScopePicker({ value, onChange }: { value: Scope[]; onChange: (scopes: Scope[]) => void }) {
  return (
    <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
      <legend style={{ padding: 0, marginBottom: 4 }}>Scopes</legend>
      {SCOPES.map((scope) => (
        <label key={scope} className="row" style={{ gap: 6 }}>
          <input type="checkbox" checked={value.includes(scope)} onChange={(e) => onChange(e.target.checked ? SCOPES.filter((s) => s === scope || value.includes(s)) : value.filter((s) => s !== scope))} />
          <strong>{scope}</strong> <span className="muted">{DESCRIPTIONS[scope]}</span>
        </label>
      ))}
    </fieldset>
  );
}
