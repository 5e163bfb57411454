/** The levels the UI colours and the histogram stacks by, most severe first. */
export const LEVELS = ['error', 'warn', 'info', 'debug', 'trace', 'unknown'] as const;
export type Level = (typeof LEVELS)[number];

const ALIASES: Record<string, Level> = {
  emerg: 'error',
  emergency: 'error',
  alert: 'error',
  crit: 'error',
  critical: 'error',
  fatal: 'error',
  panic: 'error',
  err: 'error',
  error: 'error',
  eror: 'error',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  notice: 'info',
  info: 'info',
  inf: 'info',
  information: 'info',
  informational: 'info',
  debug: 'debug',
  dbg: 'debug',
  trace: 'trace',
  trc: 'trace',
};

export function normalizeLevel(raw: string | undefined | null): Level | null {
  if (!raw) return null;
  return ALIASES[raw.trim().toLowerCase()] ?? null;
}

const LEVEL_LABELS = ['level', 'detected_level', 'lvl', 'severity', 'loglevel', 'log_level'];
// A level word in a JSON or logfmt field, or standing alone in the first part of a line ("[ERROR]", " WARN ").
const FIELD_IN_LINE = /["']?(?:level|lvl|severity)["']?\s*[=:]\s*["']?([a-zA-Z]+)/i;
const WORD_IN_LINE = /(?:^|[\s[(|])(EMERG|ALERT|CRIT(?:ICAL)?|FATAL|PANIC|ERR(?:OR)?|WARN(?:ING)?|NOTICE|INFO|DEBUG|TRACE)(?=$|[\s\]):|])/i;

/** The level of a line: from its labels, then its fields, then its text. */
export function detectLevel(labels: Record<string, string>, line: string, fields?: Record<string, unknown>): Level {
  for (const name of LEVEL_LABELS) {
    const level = normalizeLevel(labels[name]);
    if (level) return level;
  }
  if (fields) {
    for (const name of LEVEL_LABELS) {
      const value = fields[name];
      const level = typeof value === 'string' ? normalizeLevel(value) : null;
      if (level) return level;
    }
  }
  const head = line.slice(0, 300);
  return normalizeLevel(FIELD_IN_LINE.exec(head)?.[1]) ?? normalizeLevel(WORD_IN_LINE.exec(head)?.[1]) ?? 'unknown';
}
