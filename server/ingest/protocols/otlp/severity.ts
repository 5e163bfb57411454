/**
 * OTLP severity → Sluice's `level` label. The number is the standard (1–4 TRACE, 5–8 DEBUG, 9–12 INFO,
 * 13–16 WARN, 17–20 ERROR, 21–24 FATAL: the OpenTelemetry logs data model), so it wins over the free
 * text, which differs by language ("Information", "WARNING"); with no number, the text lowercased;
 * neither: no level.
 */
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export function severityLevel(severityNumber: number, severityText: string): string | null {
  if (severityNumber >= 1 && severityNumber <= 24) return LEVELS[Math.floor((severityNumber - 1) / 4)]!;
  return severityText === '' ? null : severityText.toLowerCase();
}
