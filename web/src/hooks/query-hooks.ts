import type { InstantQueryParams, QueryRangeParams } from '../api/loki-types';
import { useRequest, type RequestOptions } from './use-request';

export const useQueryRange = (params: QueryRangeParams | null, options?: RequestOptions) =>
  useRequest((c, s) => c.queryRange(params!, s), JSON.stringify(params), { ...options, enabled: params !== null && (options?.enabled ?? true) });

export const useInstantQuery = (params: InstantQueryParams | null, options?: RequestOptions) =>
  useRequest((c, s) => c.query(params!, s), JSON.stringify(params), { ...options, enabled: params !== null && (options?.enabled ?? true) });

export const useLabelNames = (startMs: number, endMs: number) =>
  useRequest((c, s) => c.labelNames({ startMs, endMs }, s), `labels:${startMs}:${endMs}`);

export const useLabelValues = (name: string | null, startMs: number, endMs: number) =>
  useRequest((c, s) => c.labelValues(name!, { startMs, endMs }, s), `label:${name}:${startMs}:${endMs}`, { enabled: name !== null });

export const useSeries = (match: string[], startMs: number, endMs: number, options?: RequestOptions) =>
  useRequest((c, s) => c.series(match, { startMs, endMs }, s), `series:${match.join('\n')}:${startMs}:${endMs}`, options);
