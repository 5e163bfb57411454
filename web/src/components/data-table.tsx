import type { CSSProperties, ReactNode } from 'react';

/**
 * A table of records in its scrolling wrapper. `label` names it for screen readers (and the UI tests
 * find tables by it); `head` is the header row's cells; the children are the body's rows.
 */
export function DataTable({ label, head, style, children }: { label: string; head: ReactNode; style?: CSSProperties; children: ReactNode }) {
  return (
    <div className="table-wrap" style={style}>
      <table className="data" aria-label={label}>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
