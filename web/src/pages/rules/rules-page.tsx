import { useSearchParams } from 'react-router';
import type { RuleGroupStatus, RuleStatus, RulesData } from '../../api/alerting-types';
import { InertText } from '../../components/inert-text';
import { LabelChips } from '../../components/labels-view';
import { Page } from '../../components/page';
import { RequestView } from '../../components/states';
import { useRules } from '../../hooks/alerting-hooks';
import { formatAgo } from '../../lib/units';
import { RuleEditor } from './rule-editor';
import { DataTable } from '../../components/data-table';

/** /rules: groups and rules as loaded from the rules directory; /rules?edit=<rule id>|new: the editor. */
export function RulesPage() {
  const [search, setSearch] = useSearchParams();
  const rules = useRules({ refreshMs: 10_000 });
  const editing = search.get('edit');
  const edited = editing && editing !== 'new' ? findRule(rules.data, editing) : null;
  return (
    <Page
      title="Rules"
      actions={
        <button className="btn primary" onClick={() => setSearch({ edit: 'new' })}>
          New rule
        </button>
      }
    >
      {editing !== null && (editing === 'new' || edited) && (
        <RuleEditor key={editing} rule={edited?.rule ?? null} group={edited?.group ?? null} onClose={() => setSearch({})} />
      )}
      <RequestView state={rules} what="rules" isEmpty={(d) => d.groups.length === 0 && d.files.every((f) => f.errors.length === 0)} empty="No rule files loaded (rules/*.yaml).">
        {(data) => (
          <>
            <FileProblems data={data} />
            {data.groups.map((g) => (
              <RuleGroupCard key={`${g.file}/${g.name}`} group={g} onEdit={(r) => setSearch({ edit: r.id })} />
            ))}
          </>
        )}
      </RequestView>
    </Page>
  );
}

function findRule(data: RulesData | undefined, id: string): { rule: RuleStatus; group: RuleGroupStatus } | null {
  for (const group of data?.groups ?? []) for (const rule of group.rules) if (rule.id === id) return { rule, group };
  return null;
}

function FileProblems({ data }: { data: RulesData }) {
  const bad = data.files.filter((f) => f.errors.length > 0);
  if (bad.length === 0) return null;
  return (
    <div className="state error" role="alert" aria-label="Rule file problems">
      <strong>Rule files with problems (their last good version keeps running):</strong>
      {bad.map((f) =>
        f.errors.map((e, i) => (
          <div key={`${f.file}:${i}`} className="mono small">
            <InertText text={`${f.file}:${e.line}:${e.col}: ${e.message}`} links={false} />
          </div>
        )),
      )}
    </div>
  );
}

function RuleGroupCard({ group, onEdit }: { group: RuleGroupStatus; onEdit(rule: RuleStatus): void }) {
  return (
    <section className="card" aria-label={`Rule group ${group.name}`}>
      <h3 className="row">
        <InertText text={group.name} links={false} />
        <span className="muted small">
          <InertText text={group.file} links={false} /> · every {group.interval} · last evaluated {formatAgo(group.lastEvaluation ? Date.parse(group.lastEvaluation) : null)} (
          {(group.evaluationTime * 1000).toFixed(0)} ms)
        </span>
      </h3>
      <DataTable
        label={`Rules of ${group.name}`}
        head={
          <>
            <th>Rule</th>
            <th>State</th>
            <th>Health</th>
            <th>Expression</th>
            <th>Labels</th>
            <th>Last evaluation</th>
            <th />
          </>
        }
      >
        {group.rules.map((r) => (
          <tr key={r.id}>
            <td>
              <strong>
                <InertText text={r.name} links={false} />
              </strong>
              {r.for !== '0s' && <div className="muted small">for {r.for}</div>}
            </td>
            <td className="nowrap">
              <span className={`badge ${r.state === 'inactive' ? '' : r.state}`}>{r.state}</span>
              {r.alerts.length > 0 && <span className="muted small"> {r.alerts.length}</span>}
            </td>
            <td>
              <span className={`badge ${r.health === 'ok' ? 'ok' : r.health === 'err' ? 'err' : ''}`}>{r.health}</span>
              {r.lastError && (
                <div className="small" style={{ color: 'var(--danger)' }}>
                  <InertText text={r.lastError} links={false} />
                </div>
              )}
            </td>
            <td className="mono small" style={{ maxWidth: 420, wordBreak: 'break-word' }}>
              <InertText text={r.query} links={false} />
            </td>
            <td>
              <LabelChips labels={r.labels} />
            </td>
            <td className="nowrap small">
              {formatAgo(r.lastEvaluation ? Date.parse(r.lastEvaluation) : null)}
              <div className="muted">{(r.evaluationTime * 1000).toFixed(0)} ms</div>
            </td>
            <td>
              <button className="btn small" onClick={() => onEdit(r)}>
                Edit &amp; test
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
