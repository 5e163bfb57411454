import { useMemo } from 'react';
import { Dialog } from '../../components/dialog';
import { LogList } from '../../components/logs/log-list';
import { ErrorState, Loading } from '../../components/states';
import { useQueryRange } from '../../hooks/query-hooks';
import { compareNs, flattenStreams, type LogRow } from '../../lib/log-rows';
import { selectorFor } from '../../lib/stream-selector';

const CONTEXT_LINES = 25;
const WINDOW_NS = 3_600_000_000_000n;

/**
 * The lines of the same stream just before and after one line (Grafana's "show context"): two queries
 * of the line's exact stream selector, backward from the line and forward from it.
 */
export function ContextDialog({ row, onClose }: { row: LogRow; onClose: () => void }) {
  const selector = selectorFor(row.labels);
  const ts = BigInt(row.tsNs);
  const before = useQueryRange({
    query: selector,
    startMs: 0,
    endMs: 0,
    startNs: (ts - WINDOW_NS).toString(),
    endNs: (ts + 1n).toString(),
    limit: CONTEXT_LINES + 1,
    direction: 'backward',
  });
  const after = useQueryRange({
    query: selector,
    startMs: 0,
    endMs: 0,
    startNs: row.tsNs,
    endNs: (ts + WINDOW_NS).toString(),
    limit: CONTEXT_LINES + 1,
    direction: 'forward',
  });

  const rows = useMemo(() => {
    if (before.data?.resultType !== 'streams' || after.data?.resultType !== 'streams') return null;
    const seen = new Set<string>();
    const all: LogRow[] = [];
    for (const r of [...flattenStreams(before.data.result, 'forward', 'b:'), ...flattenStreams(after.data.result, 'forward', 'a:')]) {
      const key = `${r.tsNs}\u0000${r.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(key === `${row.tsNs}\u0000${row.line}` ? { ...r, id: 'hit' } : r);
    }
    return all.sort((a, b) => compareNs(a.tsNs, b.tsNs));
  }, [before.data, after.data, row]);

  const error = before.error ?? after.error;
  return (
    <Dialog title="Context" onClose={onClose} wide>
      <div className="muted small" style={{ marginBottom: 8 }}>
        Up to {CONTEXT_LINES} lines before and after, from stream <span className="mono">{selector}</span>
      </div>
      {error ? (
        <ErrorState error={error} what="the context" />
      ) : rows === null ? (
        <Loading what="Loading context" />
      ) : (
        <LogList rows={rows} highlightId="hit" showLabels={false} height="60vh" ariaLabel="Context lines" />
      )}
    </Dialog>
  );
}
