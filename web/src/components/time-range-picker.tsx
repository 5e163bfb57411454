import { useEffect, useRef, useState, type FormEvent } from 'react';
import { describeRange, formatDateTime, parseTimeText, PRESETS, type TimeRangeText } from '../lib/time-range';
import './time-range-picker.css';

/** Relative presets and an absolute from/to (any text parseTimeText takes: now-2h, 2025-01-31 14:00, epoch ms). */
export function TimeRangePicker({ value, onChange }: { value: TimeRangeText; onChange(range: TimeRangeText): void }) {
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setFrom(toEditable(value.from));
    setTo(toEditable(value.to));
  }, [value.from, value.to, open]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const now = Date.now();
  const fromOk = parseTimeText(from, now) !== null;
  const toOk = parseTimeText(to, now) !== null;
  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!fromOk || !toOk) return;
    onChange({ from: fromFormat(from), to: fromFormat(to) });
    setOpen(false);
  };

  return (
    <div className="time-picker" ref={box}>
      <button className="btn" onClick={() => setOpen(!open)} aria-haspopup="dialog" aria-expanded={open} title="Time range">
        {describeRange(value)}
      </button>
      {open && (
        <div className="time-picker-panel" role="dialog" aria-label="Time range">
          <div className="time-picker-presets">
            {PRESETS.map((p) => (
              <button
                key={p.from}
                className={`btn small${value.from === p.from && value.to === 'now' ? ' active' : ''}`}
                onClick={() => {
                  onChange({ from: p.from, to: 'now' });
                  setOpen(false);
                }}
              >
                {p.label}
              </button>
            ))}
          </div>
          <form className="time-picker-custom" onSubmit={apply}>
            <label className="field">
              From
              <input className={`input mono${fromOk ? '' : ' invalid'}`} value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From" />
            </label>
            <label className="field">
              To
              <input className={`input mono${toOk ? '' : ' invalid'}`} value={to} onChange={(e) => setTo(e.target.value)} aria-label="To" />
            </label>
            <span className="muted small">now-15m, now-2d, 2025-01-31 14:00 (local), 2025-01-31T14:00:00Z, epoch ms</span>
            <button className="btn primary" disabled={!fromOk || !toOk}>
              Apply
            </button>
          </form>
        </div>
      )}
    </div>
  );
}

/** Epoch ms in the URL is shown as a local date to edit. */
function toEditable(text: string): string {
  return /^\d{10,16}$/.test(text) ? formatDateTime(Number(text)) : text;
}

/** Absolute dates go into the URL as epoch ms (unambiguous across time zones); relative ones stay relative. */
function fromFormat(text: string): string {
  const t = text.trim();
  if (t.startsWith('now')) return t;
  const ms = parseTimeText(t.replace(' ', 'T'), Date.now()) ?? parseTimeText(t, Date.now());
  return ms === null ? t : String(ms);
}
