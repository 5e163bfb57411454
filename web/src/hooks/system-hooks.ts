import { parsePrometheusText } from '../lib/prometheus-text';
import { useRequest, type RequestOptions } from './use-request';

export const useHealth = (options?: RequestOptions) => useRequest((c, s) => c.health(s), 'health', options);

/** /metrics, parsed; with `refreshMs`, each answer carries the time it was read so callers can derive rates. */
export const useServerMetrics = (options?: RequestOptions) =>
  useRequest(async (c, s) => ({ at: Date.now(), samples: parsePrometheusText(await c.metricsText(s)) }), 'metrics', options);
