import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ActiveAlert, SilenceMatcher } from '../../api/alerting-types';
import { InertText } from '../../components/inert-text';
import { LabelChips } from '../../components/labels-view';
import { Page } from '../../components/page';
import { RequestView } from '../../components/states';
import { useAlertHistory, useAlerts, useNotifications } from '../../hooks/alerting-hooks';
import { matchersForLabels } from '../../lib/silence-matchers';
import { formatDateTime } from '../../lib/time-range';
import { formatAgo } from '../../lib/units';
import { SilenceDialog } from '../silences/silence-dialog';
import { DataTable } from '../../components/data-table';

const TABS = [
  { id: 'active', label: 'Active' },
  { id: 'history', label: 'History' },
  { id: 'notifications', label: 'Notifications' },
] as const;

/** /alerts?tab=active|history|notifications */
export function AlertsPage() {
  const [search, setSearch] = useSearchParams();
  const tab = TABS.find((t) => t.id === search.get('tab'))?.id ?? 'active';
  return (
    <Page title="Alerts">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'selected' : ''} onClick={() => setSearch(t.id === 'active' ? {} : { tab: t.id })}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'active' ? <ActiveAlerts /> : tab === 'history' ? <AlertHistory /> : <Notifications />}
    </Page>
  );
}

function ActiveAlerts() {
  const alerts = useAlerts({ refreshMs: 5000 });
  const [silencing, setSilencing] = useState<SilenceMatcher[] | null>(null);
  const byRule = useMemo(() => {
    const groups = new Map<string, ActiveAlert[]>();
    for (const a of alerts.data ?? []) {
      const key = `${a.rule.group}/${a.rule.name}`;
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    return [...groups.entries()].sort(([, a], [, b]) => firingCount(b) - firingCount(a));
  }, [alerts.data]);
  return (
    <>
      <RequestView state={alerts} what="active alerts" isEmpty={(a) => a.length === 0} empty="No alert is pending or firing.">
        {() =>
          byRule.map(([key, list]) => (
            <section key={key} className="card" aria-label={`Rule ${list[0]!.rule.name}`}>
              <h3 className="row">
                <InertText text={list[0]!.rule.name} links={false} />
                <span className="muted small">
                  group <InertText text={list[0]!.rule.group} links={false} />
                </span>
                <span className="badge firing">{firingCount(list)} firing</span>
                {list.length > firingCount(list) && <span className="badge pending">{list.length - firingCount(list)} pending</span>}
              </h3>
              <DataTable
                label={`Alerts of ${list[0]!.rule.name}`}
                head={
                  <>
                    <th>State</th>
                    <th>Labels</th>
                    <th className="num">Value</th>
                    <th>Since</th>
                    <th>Summary</th>
                    <th />
                  </>
                }
              >
                {list.map((a) => (
                  <tr key={a.fingerprint}>
                    <td className="nowrap">
                      <span className={`badge ${a.state}`}>{a.state}</span>{' '}
                      {a.silenced && (
                        <Link to="/silences" className="badge silenced" title={`silenced by ${a.silencedBy.join(', ')}`}>
                          silenced
                        </Link>
                      )}
                      {a.inhibited && <span className="badge silenced">inhibited</span>}
                    </td>
                    <td>
                      <LabelChips labels={a.labels} omit={['alertname']} />
                    </td>
                    <td className="num mono">{a.noData ? 'no data' : a.value === null ? '—' : formatValue(a.value)}</td>
                    <td className="nowrap" title={a.since}>
                      {formatAgo(Date.parse(a.since))}
                    </td>
                    <td className="small">
                      <InertText text={a.annotations.summary ?? a.annotations.description ?? ''} />
                    </td>
                    <td>
                      {!a.silenced && (
                        <button className="btn small" onClick={() => setSilencing(matchersForLabels(a.labels))}>
                          Silence…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </DataTable>
            </section>
          ))
        }
      </RequestView>
      {silencing && (
        <SilenceDialog
          initial={silencing}
          onClose={() => setSilencing(null)}
          onCreated={() => {
            setSilencing(null);
            alerts.reload();
          }}
        />
      )}
    </>
  );
}

function firingCount(list: ActiveAlert[]): number {
  return list.filter((a) => a.state === 'firing').length;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
}

function AlertHistory() {
  const history = useAlertHistory(200, { refreshMs: 10_000 });
  return (
    <RequestView state={history} what="alert history" isEmpty={(h) => h.length === 0} empty="No alert has changed state yet.">
      {(list) => (
        <DataTable
          label="Alert history"
          head={
            <>
              <th>Time</th>
              <th>Alert</th>
              <th>State</th>
              <th>Labels</th>
              <th className="num">Value</th>
            </>
          }
        >
          {list.map((h) => (
            <tr key={h.id}>
              <td className="nowrap mono">{formatDateTime(Date.parse(h.at))}</td>
              <td>
                <InertText text={h.alertname} links={false} />
              </td>
              <td>
                <span className={`badge ${h.state === 'resolved' ? 'ok' : h.state}`}>{h.state}</span>
              </td>
              <td>
                <LabelChips labels={h.labels} omit={['alertname']} />
              </td>
              <td className="num mono">{h.noData ? 'no data' : h.value === null ? '—' : formatValue(h.value)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </RequestView>
  );
}

function Notifications() {
  const log = useNotifications(200, { refreshMs: 10_000 });
  return (
    <RequestView state={log} what="the notification delivery log" isEmpty={(n) => n.length === 0} empty="No notification has been sent yet.">
      {(list) => (
        <DataTable
          label="Notification deliveries"
          head={
            <>
              <th>Time</th>
              <th>Receiver</th>
              <th>Status</th>
              <th className="num">Alerts</th>
              <th className="num">Attempt</th>
              <th>Outcome</th>
              <th>Detail</th>
            </>
          }
        >
          {list.map((n) => (
            <tr key={n.id}>
              <td className="nowrap mono">{formatDateTime(Date.parse(n.at))}</td>
              <td>
                <InertText text={`${n.receiver} · ${n.integration}`} links={false} />
              </td>
              <td>
                <span className={`badge ${n.status === 'firing' ? 'firing' : 'ok'}`}>{n.status}</span>
              </td>
              <td className="num">{n.alerts}</td>
              <td className="num">{n.attempt}</td>
              <td>
                <span className={`badge ${n.outcome === 'delivered' ? 'ok' : n.outcome === 'failed' ? 'error' : 'pending'}`}>{n.outcome}</span>
              </td>
              <td className="small mono" style={{ wordBreak: 'break-word' }}>
                <InertText text={n.detail} links={false} /> <span className="muted">({n.durationMs} ms)</span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </RequestView>
  );
}
