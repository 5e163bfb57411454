/**
 * Normalizes a log level, as written by whatever produced the line, to one of six names so that
 * `{level="error"}` finds errors from nginx, Java, Go and Node apps alike.
 *
 * | level | accepted (case-insensitive)                                            | numeric (pino/bunyan) |
 * |-------|------------------------------------------------------------------------|-----------------------|
 * | trace | trace, trc, verbose, finest, finer, v                                  | 10–19                 |
 * | debug | debug, dbg, fine, config, d                                            | 20–29                 |
 * | info  | info, inf, information, informational, notice, i                       | 30–39                 |
 * | warn  | warn, warning, wrn, w                                                  | 40–49                 |
 * | error | error, err, eror, severe, e                                            | 50–59                 |
 * | fatal | fatal, ftl, crit, critical, alert, emerg, emergency, panic, dpanic, f  | 60 and above          |
 *
 * Numbers map by pino's decades, so custom pino levels (35 "notice") land on the level below them.
 * Numbers under 10 are refused rather than guessed: syslog severities (0 emerg … 7 debug) run the
 * other way, and mapping them by pino's scale would turn emergencies into traces.
 *
 * Any other short word (e.g. "audit") is kept lower-cased, so nothing an app means is lost; a value that
 * is not a short word (a sentence, a 2 KB blob) gives no level at all, because every distinct level
 * value is a new stream on the server.
 */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const ALIAS_TABLE: Record<Level, string[]> = {
  trace: ['trace', 'trc', 'verbose', 'finest', 'finer', 'v'],
  debug: ['debug', 'dbg', 'fine', 'config', 'd'],
  info: ['info', 'inf', 'information', 'informational', 'notice', 'i'],
  warn: ['warn', 'warning', 'wrn', 'w'],
  error: ['error', 'err', 'eror', 'severe', 'e'],
  fatal: ['fatal', 'ftl', 'crit', 'critical', 'alert', 'emerg', 'emergency', 'panic', 'dpanic', 'f'],
};
// A Map, not an object: a level field saying "constructor" must not find Object.prototype's.
const ALIASES = new Map<string, Level>(Object.entries(ALIAS_TABLE).flatMap(([level, aliases]) => aliases.map((alias) => [alias, level as Level] as const)));

/** An unknown level is kept only if it looks like a level: one short word. */
const SHORT_WORD = /^[a-z][a-z0-9_-]{0,15}$/;

/** The normalized level for a field value, or undefined when the value does not name a level. */
export function normalizeLevel(value: unknown): string | undefined {
  if (typeof value === 'number') return levelFromNumber(value);
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (/^\d+$/.test(word)) return levelFromNumber(Number(word));
  const known = ALIASES.get(word);
  if (known !== undefined) return known;
  return SHORT_WORD.test(word) ? word : undefined;
}

function levelFromNumber(n: number): Level | undefined {
  if (!Number.isFinite(n) || n < 10) return undefined;
  if (n < 20) return 'trace';
  if (n < 30) return 'debug';
  if (n < 40) return 'info';
  if (n < 50) return 'warn';
  if (n < 60) return 'error';
  return 'fatal';
}
