import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { CommitOffset, GroupDetail } from '../../api/store-types';
import { Dialog } from '../../components/dialog';
import { InertText } from '../../components/inert-text';
import { Page } from '../../components/page';
import { ErrorState, RequestView } from '../../components/states';
import { useGroup } from '../../hooks/group-hooks';
import { useAction } from '../../hooks/use-action';
import type { SluiceClient } from '../../api/sluice-client';
import { formatDateTime, parseTimeText } from '../../lib/time-range';
import { formatAgo, formatCount } from '../../lib/units';
import { Tile } from '../topics/topic-page';
import { DataTable } from '../../components/data-table';

/** /groups/:group: members with their partitions, committed offsets and lag per partition, offset reset. */
export function GroupPage() {
  const name = useParams().group ?? '';
  const group = useGroup(name, { refreshMs: 3000 });
  const [resetting, setResetting] = useState(false);
  return (
    <Page
      title={name}
      crumbs={<Link to="/groups">Consumer groups</Link>}
      actions={
        <button className="btn" onClick={() => setResetting(true)} disabled={!group.data}>
          Reset offsets
        </button>
      }
    >
      <RequestView state={group} what="the consumer group">
        {(detail) => <GroupView detail={detail} />}
      </RequestView>
      {resetting && group.data && (
        <ResetOffsetsDialog
          detail={group.data}
          onClose={() => setResetting(false)}
          onDone={() => {
            setResetting(false);
            group.reload();
          }}
        />
      )}
    </Page>
  );
}

function GroupView({ detail }: { detail: GroupDetail }) {
  const owner = new Map<string, string>();
  for (const m of detail.members) for (const a of m.assignments) owner.set(`${a.topic}/${a.partition}`, m.clientId ?? m.memberId);
  return (
    <>
      <div className="grid-tiles">
        <Tile label="State" value={detail.state} />
        <Tile label="Members" value={String(detail.members.length)} />
        <Tile label="Generation" value={String(detail.generation)} />
        <Tile label="Total lag" value={formatCount(detail.offsets.reduce((s, o) => s + o.lag, 0))} />
      </div>
      <h2 style={{ margin: '4px 0 0', fontSize: 15 }}>Members</h2>
      {detail.members.length === 0 ? (
        <div className="state">No live members: the group resumes from its committed offsets when one joins.</div>
      ) : (
        <DataTable
          label="Members"
          head={
            <>
              <th>Member</th>
              <th>Client</th>
              <th>Topics</th>
              <th>Partitions</th>
              <th>Last heartbeat</th>
            </>
          }
        >
          {detail.members.map((m) => (
            <tr key={m.memberId}>
              <td className="mono">
                <InertText text={m.memberId} links={false} />
              </td>
              <td>{m.clientId === null ? <span className="muted">—</span> : <InertText text={m.clientId} links={false} />}</td>
              <td>{m.topics.join(', ')}</td>
              <td className="mono">{m.assignments.map((a) => `${a.topic}/${a.partition}`).join(' ') || '—'}</td>
              <td className="nowrap">{formatAgo(m.lastHeartbeat)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2 style={{ margin: '4px 0 0', fontSize: 15 }}>Offsets and lag</h2>
      <DataTable
        label="Offsets"
        head={
          <>
            <th>Topic</th>
            <th className="num">Partition</th>
            <th className="num">Committed</th>
            <th className="num">End offset</th>
            <th className="num">Lag</th>
            <th>Owner</th>
          </>
        }
      >
        {detail.offsets.map((o) => (
          <tr key={`${o.topic}/${o.partition}`}>
            <td>
              <Link to={`/topics/${encodeURIComponent(o.topic)}`}>{o.topic}</Link>
            </td>
            <td className="num">{o.partition}</td>
            <td className="num mono">{o.committed ?? <span className="muted">none</span>}</td>
            <td className="num mono">{o.endOffset}</td>
            <td className="num" style={{ color: o.lag > 0 ? 'var(--warning)' : undefined }}>
              {formatCount(o.lag)}
            </td>
            <td className="small">{owner.get(`${o.topic}/${o.partition}`) ?? <span className="muted">unassigned</span>}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

type ResetTarget = 'earliest' | 'latest' | 'time';

/** Resets a group's committed offsets for one topic to earliest, latest or the first record at a time. */
async function resetOffsets(c: SluiceClient, group: string, topic: string, target: ResetTarget, timeMs: number | null) {
  const at = target === 'time' ? timeMs! : target;
  const offsets = await c.topicOffsets(topic, at);
  const commits: CommitOffset[] = offsets.map((o) => ({ topic, partition: o.partition, offset: o.offset }));
  return c.commitGroupOffsets(group, commits);
}

function ResetOffsetsDialog({ detail, onClose, onDone }: { detail: GroupDetail; onClose: () => void; onDone: () => void }) {
  const topics = [...new Set([...detail.offsets.map((o) => o.topic), ...detail.members.flatMap((m) => m.topics)])];
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [target, setTarget] = useState<ResetTarget>('earliest');
  const [time, setTime] = useState('now-1h');
  const reset = useAction((c, t: string, tgt: ResetTarget, ms: number | null) => resetOffsets(c, detail.group, t, tgt, ms));
  const timeMs = parseTimeText(time, Date.now());
  return (
    <Dialog title={`Reset offsets of ${detail.group}`} onClose={onClose}>
      <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        {detail.members.length > 0 && (
          <div className="state error" style={{ color: 'var(--warning)', borderColor: 'var(--warning)' }}>
            The group has {detail.members.length} live member(s). They keep reading from their own position and their next commit overwrites the
            reset: stop them first.
          </div>
        )}
        <label className="field">
          Topic
          <select className="input" value={topic} onChange={(e) => setTopic(e.target.value)}>
            {topics.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <div className="row" role="radiogroup" aria-label="Reset to">
          {(['earliest', 'latest', 'time'] as const).map((t) => (
            <label key={t} className="row" style={{ gap: 4 }}>
              <input type="radio" name="target" checked={target === t} onChange={() => setTarget(t)} />
              {t === 'time' ? 'to a time' : t}
            </label>
          ))}
          {target === 'time' && (
            <input className={`input${timeMs === null ? ' invalid' : ''}`} value={time} onChange={(e) => setTime(e.target.value)} aria-label="Reset to time" />
          )}
        </div>
        {target === 'time' && timeMs !== null && <span className="muted small">First record at or after {formatDateTime(timeMs)} in each partition.</span>}
        {reset.error && <ErrorState error={reset.error} what="the offsets" />}
        <div className="row">
          <div className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn primary"
            disabled={!topic || reset.pending || (target === 'time' && timeMs === null)}
            onClick={async () => {
              if (await reset.run(topic, target, timeMs)) onDone();
            }}
          >
            Reset
          </button>
        </div>
      </div>
    </Dialog>
  );
}
