import type { ReactNode } from 'react';
import type { LogRow } from '../../lib/log-rows';
import { InertText } from '../inert-text';
import { JsonView, parseJsonObject } from '../json-view';

/** The expanded part of a line: labels, structured fields, the line as pretty JSON when it is JSON. */
export function LogDetails({ row, actions }: { row: LogRow; actions?: ReactNode }) {
  const json = parseJsonObject(row.line);
  const fields = row.fields ? Object.entries(row.fields) : [];
  return (
    <div className="log-details">
      {actions && <div className="row log-actions">{actions}</div>}
      <table className="kv">
        <tbody>
          <tr>
            <th colSpan={2}>Labels</th>
          </tr>
          {Object.entries(row.labels).map(([k, v]) => (
            <tr key={`l:${k}`}>
              <td className="mono">
                <InertText text={k} links={false} />
              </td>
              <td className="mono">
                <InertText text={v} />
              </td>
            </tr>
          ))}
          {fields.length > 0 && (
            <tr>
              <th colSpan={2}>Fields</th>
            </tr>
          )}
          {fields.map(([k, v]) => (
            <tr key={`f:${k}`}>
              <td className="mono">
                <InertText text={k} links={false} />
              </td>
              <td className="mono">
                <InertText text={typeof v === 'string' ? v : JSON.stringify(v)} />
              </td>
            </tr>
          ))}
          <tr>
            <td className="mono">timestamp</td>
            <td className="mono">
              {new Date(row.ms).toISOString()} <span className="muted">({row.tsNs} ns)</span>
            </td>
          </tr>
        </tbody>
      </table>
      {json !== null && <JsonView value={json} />}
    </div>
  );
}
