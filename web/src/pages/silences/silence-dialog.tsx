import { useState, type FormEvent } from 'react';
import type { ActiveAlert, CreateSilenceRequest, SilenceMatcher } from '../../api/alerting-types';
import { Dialog } from '../../components/dialog';
import { LabelChips } from '../../components/labels-view';
import { ErrorState } from '../../components/states';
import { useAlerts } from '../../hooks/alerting-hooks';
import { useAction } from '../../hooks/use-action';
import { matcherOp, regexProblem, silenceMatches } from '../../lib/silence-matchers';

const DURATIONS: { label: string; ms: number }[] = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '2 hours', ms: 7_200_000 },
  { label: '8 hours', ms: 28_800_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '1 week', ms: 604_800_000 },
];
const AUTHOR_KEY = 'sluice.silence.author';
const OPS = ['=', '!=', '=~', '!~'] as const;

/** New silence: matchers (pre-filled from an alert), duration, author, comment; previews the alerts it mutes. */
export function SilenceDialog({ initial, onClose, onCreated }: { initial: SilenceMatcher[]; onClose(): void; onCreated(id: string): void }) {
  const [matchers, setMatchers] = useState<SilenceMatcher[]>(initial.length > 0 ? initial : [{ name: '', value: '', isRegex: false, isEqual: true }]);
  const [duration, setDuration] = useState(DURATIONS[1]!.ms);
  const [author, setAuthor] = useState(() => globalThis.localStorage?.getItem(AUTHOR_KEY) ?? '');
  const [comment, setComment] = useState('');
  const alerts = useAlerts();
  const create = useAction((c, request: CreateSilenceRequest) => c.alerting.createSilence(request));

  const complete = matchers.filter((m) => m.name.trim() !== '');
  const problems = matchers.map(regexProblem);
  const affected = (alerts.data ?? []).filter((a) => silenceMatches(complete, a.labels));
  const valid = complete.length > 0 && author.trim() !== '' && comment.trim() !== '' && problems.every((p) => p === null);

  const setMatcher = (i: number, patch: Partial<SilenceMatcher>) => setMatchers((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    globalThis.localStorage?.setItem(AUTHOR_KEY, author.trim());
    const now = Date.now();
    const created = await create.run({
      matchers: complete,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + duration).toISOString(),
      createdBy: author.trim(),
      comment: comment.trim(),
    });
    if (created) onCreated(created.id);
  };

  return (
    <Dialog title="New silence" onClose={onClose} wide>
      <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        <div className="field">
          Matchers (all must match)
          {matchers.map((m, i) => (
            <div className="row" key={i} style={{ flexWrap: 'nowrap' }}>
              <input className="input mono" style={{ flex: 1 }} placeholder="label" value={m.name} onChange={(e) => setMatcher(i, { name: e.target.value })} aria-label={`Matcher ${i + 1} label`} />
              <select
                className="input mono"
                value={matcherOp(m)}
                onChange={(e) => setMatcher(i, { isRegex: e.target.value.includes('~'), isEqual: !e.target.value.startsWith('!') })}
                aria-label={`Matcher ${i + 1} operator`}
              >
                {OPS.map((op) => (
                  <option key={op}>{op}</option>
                ))}
              </select>
              <input
                className={`input mono${problems[i] ? ' invalid' : ''}`}
                style={{ flex: 2 }}
                placeholder="value"
                value={m.value}
                onChange={(e) => setMatcher(i, { value: e.target.value })}
                aria-label={`Matcher ${i + 1} value`}
                title={problems[i] ?? undefined}
              />
              <button type="button" className="btn small" onClick={() => setMatchers((ms) => ms.filter((_, j) => j !== i))} aria-label={`Remove matcher ${i + 1}`}>
                ✕
              </button>
            </div>
          ))}
          <div>
            <button type="button" className="btn small" onClick={() => setMatchers((ms) => [...ms, { name: '', value: '', isRegex: false, isEqual: true }])}>
              Add matcher
            </button>
          </div>
        </div>
        <div className="row">
          <label className="field">
            Duration
            <select className="input" value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {DURATIONS.map((d) => (
                <option key={d.ms} value={d.ms}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field" style={{ flex: 1 }}>
            Created by
            <input className="input" value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="your name" />
          </label>
        </div>
        <label className="field">
          Comment
          <input className="input" value={comment} onChange={(e) => setComment(e.target.value)} placeholder="why, and until when" />
        </label>
        <SilencePreview affected={affected} loading={alerts.loading} error={alerts.error} matchersGiven={complete.length > 0} />
        {create.error && <ErrorState error={create.error} what="the silence" />}
        <div className="row">
          <div className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!valid || create.pending}>
            {create.pending ? 'Creating…' : 'Create silence'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function SilencePreview({ affected, loading, error, matchersGiven }: { affected: ActiveAlert[]; loading: boolean; error?: Error; matchersGiven: boolean }) {
  if (!matchersGiven) return <div className="muted small">Add at least one matcher.</div>;
  if (error) return <div className="muted small">Cannot preview: the active alerts are not available ({error.message}).</div>;
  if (loading) return <div className="muted small">Checking the active alerts…</div>;
  return (
    <div className="card" aria-label="Silence preview">
      <strong className="small">
        {affected.length === 0 ? 'No active alert matches these matchers now.' : `Mutes ${affected.length} active alert(s) now:`}
      </strong>
      <div style={{ maxHeight: 160, overflowY: 'auto', marginTop: 4 }}>
        {affected.map((a) => (
          <div key={a.fingerprint} className="small">
            <LabelChips labels={a.labels} />
          </div>
        ))}
      </div>
    </div>
  );
}
