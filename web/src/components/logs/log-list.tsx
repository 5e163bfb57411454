import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Labels } from '../../api/loki-types';
import type { LogRow } from '../../lib/log-rows';
import { LogLine } from './log-line';
import './logs.css';

export interface LogListProps {
  rows: LogRow[];
  /** Labels every row shares: not repeated on each line. */
  commonLabels?: Labels;
  showLabels?: boolean;
  wrap?: boolean;
  highlightId?: string | null;
  /** Extra actions in an expanded line (show context, copy link). */
  renderActions?: (row: LogRow) => ReactNode;
  height?: number | string;
  ariaLabel?: string;
  onRendered?: () => void;
}

/**
 * A virtualized list of log lines: only the visible rows exist in the DOM, so tens of thousands of lines
 * scroll smoothly. Rows have variable height (wrapping, expanded details) and are measured as they render.
 */
export function LogList({ rows, commonLabels = {}, showLabels = true, wrap = true, highlightId, renderActions, height = '100%', ariaLabel = 'Log lines', onRendered }: LogListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(highlightId ? [highlightId] : []));
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 24,
    overscan: 12,
    getItemKey: (i) => rows[i]!.id,
    // Before the list is measured: draw a screenful at once rather than an empty first frame.
    initialRect: { width: 1000, height: 800 },
  });

  const rendered = useRef(onRendered);
  rendered.current = onRendered;
  useEffect(() => {
    if (rows.length > 0) requestAnimationFrame(() => rendered.current?.());
  }, [rows]);

  useEffect(() => {
    if (!highlightId) return;
    const index = rows.findIndex((r) => r.id === highlightId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [highlightId, rows, virtualizer]);

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div ref={scroller} className={`log-list${wrap ? ' wrap' : ''}`} style={{ height }} role="list" aria-label={ariaLabel}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              role="listitem"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
            >
              <LogLine
                row={row}
                commonLabels={commonLabels}
                showLabels={showLabels}
                expanded={expanded.has(row.id)}
                highlighted={row.id === highlightId}
                onToggle={() => toggle(row.id)}
                actions={renderActions?.(row)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
