import { memo, type ReactNode } from 'react';
import type { Labels } from '../../api/loki-types';
import type { LogRow } from '../../lib/log-rows';
import { formatLogTime } from '../../lib/time-range';
import { InertText } from '../inert-text';
import { LabelChips } from '../labels-view';
import { LogDetails } from './log-details';

/** One line: level bar, time, the labels that differ from the common ones, the text; click expands. */
export const LogLine = memo(function LogLine({
  row,
  commonLabels,
  showLabels,
  expanded,
  highlighted,
  onToggle,
  actions,
}: {
  row: LogRow;
  commonLabels: Labels;
  showLabels: boolean;
  expanded: boolean;
  highlighted: boolean;
  onToggle(): void;
  actions?: ReactNode;
}) {
  const own = showLabels ? Object.fromEntries(Object.entries(row.labels).filter(([k, v]) => commonLabels[k] !== v)) : {};
  return (
    <div className={`log-line level-${row.level}${expanded ? ' expanded' : ''}${highlighted ? ' highlighted' : ''}`} data-level={row.level}>
      <div
        className="log-line-main"
        onClick={(e) => {
          // Selecting text must not toggle the line.
          if (!window.getSelection()?.toString()) onToggle();
          e.stopPropagation();
        }}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget && (e.preventDefault(), onToggle())}
        tabIndex={0}
        aria-expanded={expanded}
      >
        <span className="log-time mono">{formatLogTime(row.ms)}</span>
        {Object.keys(own).length > 0 && (
          <span className="log-labels">
            <LabelChips labels={own} />
          </span>
        )}
        <span className="log-text mono">
          <InertText text={row.line} />
        </span>
      </div>
      {expanded && <LogDetails row={row} actions={actions} />}
    </div>
  );
});
