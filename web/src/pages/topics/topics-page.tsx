import { useState } from 'react';
import { Link } from 'react-router';
import type { TopicDetail, TopicSummary } from '../../api/store-types';
import { InertText } from '../../components/inert-text';
import { Page } from '../../components/page';
import { RequestView } from '../../components/states';
import { useCounterRates } from '../../hooks/use-counter-rates';
import { useTopicDescriptions, useTopics } from '../../hooks/topic-hooks';
import { formatBytes, formatCount, formatRate, formatRetention } from '../../lib/units';
import { formatDateTime } from '../../lib/time-range';
import { CreateTopicDialog } from './create-topic-dialog';
import { DataTable } from '../../components/data-table';

/** /topics: every topic with its partitions, offsets, size, retention and ingest rate. */
export function TopicsPage() {
  const topics = useTopics({ refreshMs: 5000 });
  const [creating, setCreating] = useState(false);
  return (
    <Page
      title="Topics"
      actions={
        <button className="btn primary" onClick={() => setCreating(true)}>
          Create topic
        </button>
      }
    >
      <RequestView state={topics} what="topics" isEmpty={(t) => t.length === 0} empty="No topics yet.">
        {(list) => <TopicsTable topics={list} />}
      </RequestView>
      {creating && (
        <CreateTopicDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            topics.reload();
          }}
        />
      )}
    </Page>
  );
}

function TopicsTable({ topics }: { topics: TopicSummary[] }) {
  const details = useTopicDescriptions(topics.map((t) => t.name), 5000);
  const { rates } = useCounterRates('sluice_records_in_total', 'topic');
  return (
    <DataTable
      label="Topics"
      head={
        <>
          <th>Topic</th>
          <th className="num">Partitions</th>
          <th className="num" title="Records still stored (end − start offset, summed over partitions)">Records</th>
          <th className="num" title="Records ever written (sum of end offsets)">Written</th>
          <th className="num">Size</th>
          <th className="num">Retention</th>
          <th className="num">Ingest rate</th>
          <th>Created</th>
        </>
      }
    >
      {topics.map((topic) => {
        const d = details.get(topic.name);
        const totals = d ? partitionTotals(d) : null;
        return (
          <tr key={topic.name}>
            <td>
              <Link to={`/topics/${encodeURIComponent(topic.name)}`}>
                <InertText text={topic.name} links={false} />
              </Link>
            </td>
            <td className="num">{topic.partitions}</td>
            <td className="num">{totals ? formatCount(totals.records) : '…'}</td>
            <td className="num">{totals ? formatCount(totals.end) : '…'}</td>
            <td className="num">{totals ? formatBytes(totals.bytes) : '…'}</td>
            <td className="num">
              {formatRetention(topic.config.retentionMs)}
              {topic.config.retentionBytes !== null && <span className="muted"> / {formatBytes(topic.config.retentionBytes)}</span>}
            </td>
            <td className="num">{rates ? formatRate(rates.get(topic.name) ?? 0) : '…'}</td>
            <td className="nowrap">{formatDateTime(topic.createdAt)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

export function partitionTotals(d: TopicDetail) {
  let records = 0;
  let bytes = 0;
  let end = 0;
  for (const p of d.partitions) {
    records += p.endOffset - p.startOffset;
    bytes += p.sizeBytes;
    end += p.endOffset;
  }
  return { records, bytes, end };
}
