import { LogList } from '../../components/logs/log-list';
import { useLiveTail, MAX_TAIL_ROWS } from '../../hooks/use-live-tail';

/** Live tail: new lines stream in at the top; pause keeps collecting them until resumed. */
export function LiveTailView({ query, paused, onTogglePause }: { query: string; paused: boolean; onTogglePause(): void }) {
  const tail = useLiveTail(query, paused);
  return (
    <>
      <div className="row">
        <span className={`badge ${tail.status === 'live' ? 'ok' : tail.status === 'error' ? 'error' : ''}`} role="status" aria-label="Live tail status">
          {tail.status === 'live' ? (paused ? 'paused' : '● live') : tail.status}
        </span>
        <button className="btn small" onClick={onTogglePause} disabled={tail.status !== 'live'}>
          {paused ? `Resume${tail.pending ? ` (${tail.pending} new)` : ''}` : 'Pause'}
        </button>
        <button className="btn small" onClick={tail.clear}>
          Clear
        </button>
        <span className="muted small">
          {tail.rows.length} line(s){tail.rows.length >= MAX_TAIL_ROWS ? ` (the newest ${MAX_TAIL_ROWS} are kept)` : ''}
          {tail.dropped > 0 && ` · ${tail.dropped} dropped by the server (too fast)`}
        </span>
      </div>
      {tail.error && <div className="state error">{tail.error}</div>}
      <div style={{ flex: 1, minHeight: 300, display: 'flex' }}>
        {tail.rows.length === 0 && tail.status !== 'error' ? (
          <div className="state" style={{ flex: 1 }}>
            {tail.status === 'connecting' ? 'Connecting…' : 'Waiting for new lines…'}
          </div>
        ) : (
          <div style={{ flex: 1 }}>
            <LogList rows={tail.rows} ariaLabel="Live lines" />
          </div>
        )}
      </div>
    </>
  );
}
