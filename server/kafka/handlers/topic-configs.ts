import type { TopicConfig } from '../../store/index.js';

/**
 * The Kafka topic configs Sluice has: retention, which maps onto the store's, and cleanup.policy,
 * which can only be "delete" (no compaction). Anything else is refused with INVALID_CONFIG rather
 * than silently ignored.
 */
export const RETENTION_MS = 'retention.ms';
export const RETENTION_BYTES = 'retention.bytes';
export const CLEANUP_POLICY = 'cleanup.policy';

export type ConfigParse = { ok: true; config: Partial<TopicConfig> } | { ok: false; message: string };

export function parseTopicConfigs(configs: Array<{ name: string; value: string | null }>): ConfigParse {
  const config: Partial<TopicConfig> = {};
  for (const { name, value } of configs) {
    if (name === CLEANUP_POLICY) {
      if (value !== 'delete') return { ok: false, message: `${CLEANUP_POLICY} must be delete` };
      continue;
    }
    if (name !== RETENTION_MS && name !== RETENTION_BYTES) return { ok: false, message: `unsupported topic config ${JSON.stringify(name)}` };
    const n = value === null ? NaN : Number(value);
    if (!Number.isSafeInteger(n) || (n <= 0 && n !== -1)) return { ok: false, message: `${name} must be a positive integer or -1` };
    const limit = n === -1 ? null : n;
    if (name === RETENTION_MS) config.retentionMs = limit;
    else config.retentionBytes = limit;
  }
  return { ok: true, config };
}

/** A topic's configs as Kafka names them; -1 is "no limit". */
export function describeTopicConfigs(config: TopicConfig): Array<{ name: string; value: string; readOnly: boolean }> {
  return [
    { name: CLEANUP_POLICY, value: 'delete', readOnly: true },
    { name: RETENTION_MS, value: String(config.retentionMs ?? -1), readOnly: false },
    { name: RETENTION_BYTES, value: String(config.retentionBytes ?? -1), readOnly: false },
  ];
}
