import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { TopicDetail } from '../../api/store-types';
import { Dialog } from '../../components/dialog';
import { Page } from '../../components/page';
import { ErrorState, RequestView } from '../../components/states';
import { useGroupsOfTopic } from '../../hooks/group-hooks';
import { useTopic } from '../../hooks/topic-hooks';
import { useAction } from '../../hooks/use-action';
import { useCounterRates } from '../../hooks/use-counter-rates';
import { formatDateTime } from '../../lib/time-range';
import { formatBytes, formatCount, formatRate, formatRetention } from '../../lib/units';
import { partitionTotals } from './topics-page';
import { DataTable } from '../../components/data-table';
import { GroupLink } from '../groups/group-link';

/** /topics/:topic: partitions with offsets and size, the groups reading it, delete. */
export function TopicPage() {
  const name = useParams().topic ?? '';
  const topic = useTopic(name, { refreshMs: 5000 });
  const [deleting, setDeleting] = useState(false);
  return (
    <Page
      title={name}
      crumbs={<Link to="/topics">Topics</Link>}
      actions={
        <button className="btn danger" onClick={() => setDeleting(true)}>
          Delete topic
        </button>
      }
    >
      <RequestView state={topic} what="the topic">
        {(detail) => <TopicDetailView detail={detail} />}
      </RequestView>
      {deleting && <DeleteTopicDialog name={name} onClose={() => setDeleting(false)} />}
    </Page>
  );
}

function TopicDetailView({ detail }: { detail: TopicDetail }) {
  const totals = partitionTotals(detail);
  const { rates } = useCounterRates('sluice_records_in_total', 'topic');
  const groups = useGroupsOfTopic(detail.name);
  return (
    <>
      <div className="grid-tiles">
        <Tile label="Partitions" value={String(detail.partitionCount)} />
        <Tile label="Records stored" value={formatCount(totals.records)} />
        <Tile label="Size on disk" value={formatBytes(totals.bytes)} />
        <Tile label="Ingest rate" value={rates ? formatRate(rates.get(detail.name) ?? 0) : '…'} />
        <Tile
          label="Retention (per partition)"
          value={formatRetention(detail.config.retentionMs)}
          sub={detail.config.retentionBytes === null ? 'no size limit' : `at most ${formatBytes(detail.config.retentionBytes)}`}
        />
        <Tile label="Created" value={formatDateTime(detail.createdAt).slice(0, 10)} sub={formatDateTime(detail.createdAt).slice(11)} />
      </div>
      <h2 style={{ margin: '4px 0 0', fontSize: 15 }}>Partitions</h2>
      <DataTable
        label="Partitions"
        head={
          <>
            <th className="num">Partition</th>
            <th className="num">Start offset</th>
            <th className="num">End offset</th>
            <th className="num">Records</th>
            <th className="num">Size</th>
            <th className="num">Segments</th>
            <th />
          </>
        }
      >
        {detail.partitions.map((p) => (
          <tr key={p.partition}>
            <td className="num">{p.partition}</td>
            <td className="num mono">{p.startOffset}</td>
            <td className="num mono">{p.endOffset}</td>
            <td className="num">{formatCount(p.endOffset - p.startOffset)}</td>
            <td className="num">{formatBytes(p.sizeBytes)}</td>
            <td className="num">{p.segments}</td>
            <td>
              <Link to={`/topics/${encodeURIComponent(detail.name)}/partitions/${p.partition}`}>Browse records</Link>
            </td>
          </tr>
        ))}
      </DataTable>
      <h2 style={{ margin: '4px 0 0', fontSize: 15 }}>Consumer groups reading this topic</h2>
      <RequestView state={groups} what="consumer groups" isEmpty={(g) => g.length === 0} empty="No group has committed offsets for this topic.">
        {(list) => (
          <DataTable
            label="Groups of topic"
            head={
              <>
                <th>Group</th>
                <th>State</th>
                <th className="num">Members</th>
                <th className="num">Lag</th>
              </>
            }
          >
            {list.map((g) => (
              <tr key={g.group}>
                <td>
                  <GroupLink group={g.group} />
                </td>
                <td>
                  <span className={`badge ${g.state}`}>{g.state}</span>
                </td>
                <td className="num">{g.members.length}</td>
                <td className="num">{formatCount(g.offsets.filter((o) => o.topic === detail.name).reduce((sum, o) => sum + o.lag, 0))}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </RequestView>
    </>
  );
}

export function Tile({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="card tile">
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {sub && <div className="muted small">{sub}</div>}
    </div>
  );
}

function DeleteTopicDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const navigate = useNavigate();
  const remove = useAction((c, topic: string) => c.deleteTopic(topic).then(() => true));
  return (
    <Dialog title={`Delete topic ${name}?`} onClose={onClose}>
      <p>
        This deletes every record of the topic and the offsets groups committed for it. It cannot be undone. Type the topic name to confirm.
      </p>
      <input className="input" style={{ width: '100%' }} value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Topic name to confirm" />
      {remove.error && <ErrorState error={remove.error} what="the topic" />}
      <div className="row" style={{ marginTop: 12 }}>
        <div className="spacer" />
        <button className="btn" onClick={onClose}>
          Cancel
        </button>
        <button
          className="btn primary"
          disabled={typed !== name || remove.pending}
          onClick={async () => {
            if (await remove.run(name)) navigate('/topics');
          }}
        >
          Delete
        </button>
      </div>
    </Dialog>
  );
}
