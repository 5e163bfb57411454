import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { OffsetSpec, TopicRecord } from '../../api/store-types';
import { InertText } from '../../components/inert-text';
import { JsonView, parseJsonObject } from '../../components/json-view';
import { Page } from '../../components/page';
import { ErrorState, RequestView } from '../../components/states';
import { usePartitionRecords } from '../../hooks/topic-hooks';
import { useAction } from '../../hooks/use-action';
import { formatLogTime, parseTimeText } from '../../lib/time-range';
import { DataTable } from '../../components/data-table';

const PAGE_SIZES = [25, 50, 100, 250];

/**
 * /topics/:topic/partitions/:partition?offset=N&size=50: pages through the records of one partition by
 * offset, or jumps to the first record at or after a time (the offsets API, Kafka's ListOffsets).
 */
export function PartitionPage() {
  const params = useParams();
  const topic = params.topic ?? '';
  const partition = Number(params.partition ?? 0);
  const [search, setSearch] = useSearchParams();
  const offset = offsetParam(search.get('offset'));
  const size = PAGE_SIZES.includes(Number(search.get('size'))) ? Number(search.get('size')) : 50;
  const records = usePartitionRecords(topic, partition, offset, size);
  const [jumpOffset, setJumpOffset] = useState('');
  const [jumpTime, setJumpTime] = useState('');
  const resolveTime = useAction((c, at: number) => c.topicOffsets(topic, at));
  const [timeError, setTimeError] = useState<string | null>(null);

  const go = (next: OffsetSpec, nextSize = size) => {
    const p = new URLSearchParams(search);
    p.set('offset', String(next));
    p.set('size', String(nextSize));
    setSearch(p);
  };

  const onJumpTime = async (e: FormEvent) => {
    e.preventDefault();
    const ms = parseTimeText(jumpTime, Date.now());
    if (ms === null) return setTimeError('Use a date like 2025-01-31 14:00, epoch milliseconds or now-1h.');
    setTimeError(null);
    const offsets = await resolveTime.run(ms);
    const found = offsets?.find((o) => o.partition === partition);
    if (found) go(found.offset);
  };

  const data = records.data;
  const first = data?.records[0]?.offset ?? (typeof offset === 'number' ? offset : null);
  return (
    <Page
      title={`Partition ${partition}`}
      crumbs={
        <>
          <Link to="/topics">Topics</Link> / <Link to={`/topics/${encodeURIComponent(topic)}`}>{topic}</Link>
        </>
      }
    >
      <div className="row card">
        <button className="btn" onClick={() => go('earliest')}>
          Earliest
        </button>
        <button className="btn" disabled={!data || first === null || first <= data.logStartOffset} onClick={() => go(Math.max(data!.logStartOffset, first! - size))}>
          ← Previous
        </button>
        <button className="btn" disabled={!data || data.nextOffset >= data.highWatermark} onClick={() => go(data!.nextOffset)}>
          Next →
        </button>
        <button className="btn" onClick={() => go(data ? Math.max(data.logStartOffset, data.highWatermark - size) : 'latest')}>
          Latest
        </button>
        <select className="input" value={size} onChange={(e) => go(typeof offset === 'number' ? offset : 'earliest', Number(e.target.value))} aria-label="Records per page">
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n} per page
            </option>
          ))}
        </select>
        <div className="spacer" />
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^\d+$/.test(jumpOffset)) go(Number(jumpOffset));
          }}
        >
          <input className="input" style={{ width: 110 }} placeholder="offset" value={jumpOffset} onChange={(e) => setJumpOffset(e.target.value)} aria-label="Jump to offset" />
          <button className="btn">Go</button>
        </form>
        <form className="row" onSubmit={onJumpTime}>
          <input className="input" style={{ width: 180 }} placeholder="time, e.g. now-1h" value={jumpTime} onChange={(e) => setJumpTime(e.target.value)} aria-label="Jump to time" />
          <button className="btn" disabled={resolveTime.pending}>
            Jump to time
          </button>
        </form>
      </div>
      {timeError && <div className="state error">{timeError}</div>}
      {resolveTime.error && <ErrorState error={resolveTime.error} what="the offset for that time" />}
      {data && (
        <div className="muted small">
          Offsets {data.logStartOffset} (oldest kept) to {data.highWatermark - 1} (newest) · showing {data.records.length} record(s)
          {data.records.length > 0 && ` from ${data.records[0]!.offset} to ${data.records[data.records.length - 1]!.offset}`}
        </div>
      )}
      <RequestView state={records} what="records" isEmpty={(d) => d.records.length === 0} empty="No records at this offset.">
        {(d) => <RecordTable records={d.records} />}
      </RequestView>
    </Page>
  );
}

function offsetParam(raw: string | null): OffsetSpec {
  if (raw === 'latest') return 'latest';
  return raw !== null && /^\d+$/.test(raw) ? Number(raw) : 'earliest';
}

function RecordTable({ records }: { records: TopicRecord[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <DataTable
      label="Records"
      head={
        <>
          <th className="num">Offset</th>
          <th>Timestamp</th>
          <th>Key</th>
          <th style={{ width: '100%' }}>Value</th>
        </>
      }
    >
      {records.map((r) => (
        <tr key={r.offset} onClick={() => setOpen(open === r.offset ? null : r.offset)} style={{ cursor: 'pointer' }}>
          <td className="num mono">{r.offset}</td>
          <td className="mono nowrap">{formatLogTime(r.timestamp)}</td>
          <td className="mono">{r.key === null ? <span className="muted">null</span> : <InertText text={r.key} links={false} />}</td>
          <td className="mono" style={{ wordBreak: 'break-all' }}>
            {open === r.offset ? <RecordDetail record={r} /> : r.value === null ? <span className="muted">null (tombstone)</span> : <InertText text={truncate(r.value, 400)} links={false} />}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function RecordDetail({ record }: { record: TopicRecord }) {
  const json = record.value === null ? null : parseJsonObject(record.value);
  return (
    <div onClick={(e) => e.stopPropagation()} style={{ cursor: 'auto' }}>
      {json !== null ? <JsonView value={json} /> : <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{record.value === null ? 'null' : <InertText text={record.value} />}</pre>}
      {record.headers.length > 0 && (
        <div style={{ marginTop: 6 }}>
          <strong className="small">Headers</strong>
          {record.headers.map((h, i) => (
            <div key={i} className="small">
              <InertText text={h.key} links={false} />: {h.value === null ? <span className="muted">null</span> : <InertText text={h.value} links={false} />}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
