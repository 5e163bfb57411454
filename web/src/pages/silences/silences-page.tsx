import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Silence, SilenceState } from '../../api/alerting-types';
import { InertText } from '../../components/inert-text';
import { Page } from '../../components/page';
import { ErrorState, RequestView } from '../../components/states';
import { useSilences } from '../../hooks/alerting-hooks';
import { useAction } from '../../hooks/use-action';
import { formatDateTime } from '../../lib/time-range';
import { SilenceDialog } from './silence-dialog';
import { DataTable } from '../../components/data-table';

const STATES: SilenceState[] = ['active', 'pending', 'scheduled', 'expired'];

/** /silences?state=active: list silences by state, create one, expire one. */
export function SilencesPage() {
  const [search, setSearch] = useSearchParams();
  const state = (STATES as string[]).includes(search.get('state') ?? '') ? (search.get('state') as SilenceState) : 'active';
  const silences = useSilences({ refreshMs: 10_000 });
  const [creating, setCreating] = useState(false);
  const expire = useAction((c, id: string) => c.alerting.expireSilence(id).then(() => true));
  const counts = new Map<SilenceState, number>();
  for (const s of silences.data ?? []) counts.set(s.status.state, (counts.get(s.status.state) ?? 0) + 1);
  return (
    <Page
      title="Silences"
      actions={
        <button className="btn primary" onClick={() => setCreating(true)}>
          New silence
        </button>
      }
    >
      <div className="tabs" role="tablist">
        {STATES.map((s) => (
          <button key={s} role="tab" aria-selected={state === s} className={state === s ? 'selected' : ''} onClick={() => setSearch({ state: s })}>
            {s} ({counts.get(s) ?? 0})
          </button>
        ))}
      </div>
      {expire.error && <ErrorState error={expire.error} what="the silence" />}
      <RequestView state={silences} what="silences" isEmpty={(list) => !list.some((s) => s.status.state === state)} empty={`No ${state} silence.`}>
        {(list) => (
          <DataTable
            label="Silences"
            head={
              <>
                <th>Matchers</th>
                <th>Starts</th>
                <th>Ends</th>
                <th>Created by</th>
                <th>Comment</th>
                <th />
              </>
            }
          >
            {list
              .filter((s) => s.status.state === state)
              .map((s) => (
                <SilenceRow
                  key={s.id}
                  silence={s}
                  onExpire={async () => {
                    if (await expire.run(s.id)) silences.reload();
                  }}
                />
              ))}
          </DataTable>
        )}
      </RequestView>
      {creating && (
        <SilenceDialog
          initial={[]}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            silences.reload();
          }}
        />
      )}
    </Page>
  );
}

function SilenceRow({ silence: s, onExpire }: { silence: Silence; onExpire(): void }) {
  return (
    <tr>
      <td>
        {s.matcherText.map((m) => (
          <span key={m} className="label-chip mono">
            <InertText text={m} links={false} />
          </span>
        ))}
        {s.recurrence && (
          <div className="muted small">
            every {s.recurrence.days.join(', ')} {s.recurrence.start}–{s.recurrence.end} ({s.recurrence.timezone})
          </div>
        )}
      </td>
      <td className="nowrap mono">{formatDateTime(Date.parse(s.startsAt))}</td>
      <td className="nowrap mono">{s.endsAt === null ? 'never' : formatDateTime(Date.parse(s.endsAt))}</td>
      <td>
        <InertText text={s.createdBy} links={false} />
      </td>
      <td className="small">
        <InertText text={s.comment} />
      </td>
      <td>
        {s.status.state !== 'expired' && (
          <button className="btn small danger" onClick={onExpire}>
            Expire
          </button>
        )}
      </td>
    </tr>
  );
}
