import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorPosition } from '../api/api-error';
import { applyCompletion, completionContext, offsetOf, rankSuggestions, type CompletionContext } from '../lib/logql-completion';
import { InertText } from './inert-text';
import { QUERY_INPUT_ID } from './shell/use-slash-shortcut';
import './query-box.css';

export interface QueryBoxProps {
  value: string;
  onChange(value: string): void;
  /** Enter (without Shift) or the Run button. */
  onRun(): void;
  /** A syntax error from the server, pointed at in the text. */
  error?: { message: string; position: ErrorPosition | null } | null;
  labelNames: string[];
  /** Values of a label, or undefined while they load (the box then calls onWantValues). */
  labelValues(name: string): string[] | undefined;
  onWantValues(name: string): void;
  autoFocus?: boolean;
  placeholder?: string;
}

/** The LogQL editor: label name/value completion inside stream selectors, inline error position. */
export function QueryBox({ value, onChange, onRun, error, labelNames, labelValues, onWantValues, autoFocus, placeholder }: QueryBoxProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [cursor, setCursor] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  const context: CompletionContext | null = cursor === null ? null : completionContext(value, cursor);
  const wantedLabel = context?.kind === 'label-value' ? context.label : null;
  useEffect(() => {
    if (wantedLabel && labelValues(wantedLabel) === undefined) onWantValues(wantedLabel);
  }, [wantedLabel, labelValues, onWantValues]);

  const suggestions = useMemo(() => {
    if (!context) return [];
    if (context.kind === 'label-name') return rankSuggestions(labelNames, context.prefix);
    return rankSuggestions(labelValues(context.label) ?? [], context.prefix);
  }, [context?.kind, context?.prefix, context?.kind === 'label-value' ? context.label : '', labelNames, labelValues]);
  const showList = open && suggestions.length > 0;

  useEffect(() => setActive(0), [context?.kind, context?.prefix]);
  // Grow with the text, up to a few lines.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [value]);

  const track = () => {
    const el = ref.current;
    if (el) setCursor(el.selectionStart === el.selectionEnd ? el.selectionStart : null);
  };

  const accept = (choice: string) => {
    if (!context) return;
    const next = applyCompletion(value, context, choice);
    onChange(next.text);
    requestAnimationFrame(() => {
      const el = ref.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(next.cursor, next.cursor);
      setCursor(next.cursor);
      setOpen(true);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (showList) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey && context)) {
        e.preventDefault();
        accept(suggestions[active] ?? suggestions[0]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      setOpen(false);
      onRun();
    }
  };

  const errorAt = error?.position ? offsetOf(value, error.position.line, error.position.column) : null;
  return (
    <div className="query-box">
      <textarea
        ref={ref}
        id={QUERY_INPUT_ID}
        className={`input query-input mono${error ? ' invalid' : ''}`}
        value={value}
        rows={1}
        spellCheck={false}
        autoFocus={autoFocus}
        placeholder={placeholder ?? '{service="api"} |= "error"   (press / to focus, Enter to run)'}
        aria-label="LogQL query"
        aria-invalid={Boolean(error)}
        aria-autocomplete="list"
        aria-controls={showList ? listId : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          setCursor(e.target.selectionStart);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => !['ArrowDown', 'ArrowUp', 'Enter', 'Escape', 'Tab'].includes(e.key) && track()}
        onClick={() => {
          track();
          setOpen(true);
        }}
        // Options take the mouse on mousedown (without blurring the box), so closing at once is safe.
        onBlur={() => setOpen(false)}
      />
      {showList && (
        <ul className="completions" id={listId} role="listbox" aria-label={context?.kind === 'label-name' ? 'Label names' : 'Label values'}>
          {suggestions.map((s, i) => (
            <li
              key={s}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
            >
              <InertText text={s} links={false} />
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div className="query-error" role="alert">
          {errorAt !== null && (
            <pre className="query-error-snippet mono" aria-label="Error position">
              {value.slice(Math.max(0, errorAt - 60), errorAt)}
              <mark>{value.slice(errorAt, errorAt + 1) || ' '}</mark>
              {value.slice(errorAt + 1, errorAt + 40)}
            </pre>
          )}
          <span>{error.message}</span>
        </div>
      )}
    </div>
  );
}
