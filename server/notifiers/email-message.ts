import { firingAlerts, resolvedAlerts, type Notification, type NotificationAlert } from './notification.js';

/** A rendered email: the subject goes into a header, so it is already stripped of line breaks. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Longest subject we send; a label value can be arbitrarily long. */
const MAX_SUBJECT_LENGTH = 250;

/**
 * Renders a notification as an email. Everything in it except our own words is untrusted (labels
 * and annotations come from log lines and rule files): the HTML body escapes all of it and links
 * only http(s) URLs; header values lose every control character, so a label holding "\r\nBcc: ..."
 * cannot add a header.
 */
export function renderEmail(notification: Notification): EmailMessage {
  return { subject: renderSubject(notification), text: renderText(notification), html: renderHtml(notification) };
}

/**
 * Alertmanager's default subject (template `__subject`): `[FIRING:2] <group label values>
 * (<values of the other common labels>)`, values in SortedPairs order (alertname first).
 */
export function renderSubject(n: Notification): string {
  const status = n.status === 'firing' ? `FIRING:${firingAlerts(n).length}` : 'RESOLVED';
  let subject = `[${status}] ${sortedPairs(n.groupLabels).map(([, v]) => v).join(' ')} `;
  if (Object.keys(n.commonLabels).length > Object.keys(n.groupLabels).length) {
    const rest = sortedPairs(n.commonLabels).filter(([k]) => !(k in n.groupLabels));
    subject += `(${rest.map(([, v]) => v).join(' ')})`;
  }
  const clean = headerValue(subject);
  return clean.length > MAX_SUBJECT_LENGTH ? `${clean.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : clean;
}

/** A value safe for a mail header: control characters (CR, LF, NUL...) become spaces. */
export function headerValue(text: string): string {
  return text.replace(/[\x00-\x1f\x7f\u2028\u2029]+/g, ' ').trim();
}

/** Alertmanager's KV.SortedPairs: alertname first, then by name. */
export function sortedPairs(kv: Record<string, string>): Array<[string, string]> {
  return Object.entries(kv).sort(([a], [b]) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function renderText(n: Notification): string {
  const lines = [renderSubject(n), '', `Receiver: ${n.receiver}`];
  if (isWebUrl(n.externalURL)) lines.push(`Sluice: ${n.externalURL}`);
  for (const [title, alerts] of sections(n)) {
    lines.push('', `${title} (${alerts.length})`);
    for (const alert of alerts) {
      lines.push('', `* ${sortedPairs(alert.labels).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      lines.push(`  Started: ${alert.startsAt}`);
      if (alert.status === 'resolved') lines.push(`  Ended: ${alert.endsAt}`);
      for (const [k, v] of sortedPairs(alert.annotations)) lines.push(`  ${k}: ${v.replace(/\r?\n/g, '\n    ')}`);
      if (alert.generatorURL) lines.push(`  Source: ${alert.generatorURL}`);
    }
  }
  return lines.join('\n') + '\n';
}

function renderHtml(n: Notification): string {
  const parts: string[] = [
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(renderSubject(n))}</h2>`,
    `<p>Receiver: <b>${escapeHtml(n.receiver)}</b>${isWebUrl(n.externalURL) ? ` · <a href="${escapeHtml(n.externalURL)}">Open Sluice</a>` : ''}</p>`,
  ];
  for (const [title, alerts] of sections(n)) {
    parts.push(`<h3>${title} (${alerts.length})</h3>`);
    for (const alert of alerts) parts.push(renderHtmlAlert(alert));
  }
  parts.push('</body></html>');
  return parts.join('\n');
}

function renderHtmlAlert(alert: NotificationAlert): string {
  const rows = [
    ...sortedPairs(alert.labels).map(([k, v]) => row(`<code>${escapeHtml(k)}</code>`, `<code>${escapeHtml(v)}</code>`)),
    row('Started', escapeHtml(alert.startsAt)),
    ...(alert.status === 'resolved' ? [row('Ended', escapeHtml(alert.endsAt))] : []),
    ...sortedPairs(alert.annotations).map(([k, v]) => row(escapeHtml(k), escapeHtml(v).replace(/\r?\n/g, '<br>'))),
  ];
  if (alert.generatorURL) {
    const source = isWebUrl(alert.generatorURL) ? `<a href="${escapeHtml(alert.generatorURL)}">${escapeHtml(alert.generatorURL)}</a>` : escapeHtml(alert.generatorURL);
    rows.push(row('Source', source));
  }
  return `<table border="1" cellpadding="4" style="border-collapse:collapse;margin-bottom:12px">${rows.join('')}</table>`;
}

function row(key: string, value: string): string {
  return `<tr><th align="left">${key}</th><td>${value}</td></tr>`;
}

function sections(n: Notification): Array<[string, NotificationAlert[]]> {
  const out: Array<[string, NotificationAlert[]]> = [];
  const firing = firingAlerts(n);
  const resolved = resolvedAlerts(n);
  if (firing.length > 0) out.push(['Firing', firing]);
  if (resolved.length > 0) out.push(['Resolved', resolved]);
  return out;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/** Only http(s) URLs become links: a `javascript:` generatorURL stays text. */
function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
