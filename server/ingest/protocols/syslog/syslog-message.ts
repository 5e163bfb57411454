/**
 * A syslog message as read off the wire, before it becomes a log entry (syslog-entry.ts). Both RFC 5424
 * and RFC 3164 parse into this one shape; what a format lacks is null.
 */
export interface SyslogMessage {
  /** 0–23, from PRI (RFC 5424 §6.2.1). */
  facility: number;
  /** 0 (emergency) … 7 (debug), from PRI. */
  severity: number;
  /** Epoch ns; null when the message carries no usable time (the time of arrival is used). */
  timestampNs: bigint | null;
  hostname: string | null;
  /** RFC 5424 APP-NAME, or the RFC 3164 TAG. */
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  structuredData: StructuredDataElement[];
  message: string;
  /** Set when the text did not parse as either format: `message` is then the whole text as received. */
  error: string | null;
}

export interface StructuredDataElement {
  id: string;
  params: Array<[name: string, value: string]>;
}

/** RFC 5424 §6.2.1, table 1 (RFC 3164 uses the same codes). */
export const FACILITY_NAMES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news',
  'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

/** RFC 5424 §6.2.1, table 2, with the keywords syslog.conf uses. */
export const SEVERITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/**
 * Severity → Sluice's `level` label, the same six names the agent normalizes to (agents/parsers/level.ts),
 * so `{level="error"}` finds syslog errors next to app errors. Notice folds into info; the exact severity
 * is kept as the `severity` field.
 */
const SEVERITY_LEVELS = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'] as const;

export function levelForSeverity(severity: number): string {
  return SEVERITY_LEVELS[severity] ?? 'info';
}

/** RFC 3164 §4.3.3: a message without a valid PRI is treated as user.notice. */
export const DEFAULT_FACILITY = 1;
export const DEFAULT_SEVERITY = 5;
