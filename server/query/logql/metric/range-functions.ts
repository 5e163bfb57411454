import type { RangeFunctionName } from '../ast.js';

/**
 * Which range functions apply to which source. Log lines without `unwrap` are counted (each line is a
 * sample of value 1, or of its byte length for the bytes functions); unwrapped log lines and agent metric
 * samples carry their own values.
 */
export interface RangeFunctionInfo {
  /** Over a log selector without `unwrap`. */
  lines: boolean;
  /** Over a log selector with `| unwrap label`. */
  unwrapped: boolean;
  /** Over an agent metric selector (`node_cpu_percent{…}[5m]`). */
  samples: boolean;
  /** Takes a leading scalar argument (φ of quantile_over_time). */
  param: boolean;
  /** Sample value of one log line when not unwrapped. */
  lineValue: 'one' | 'bytes';
}

export const RANGE_FUNCTIONS: Readonly<Record<RangeFunctionName, RangeFunctionInfo>> = {
  count_over_time: { lines: true, unwrapped: false, samples: true, param: false, lineValue: 'one' },
  rate: { lines: true, unwrapped: true, samples: false, param: false, lineValue: 'one' },
  bytes_over_time: { lines: true, unwrapped: false, samples: false, param: false, lineValue: 'bytes' },
  bytes_rate: { lines: true, unwrapped: false, samples: false, param: false, lineValue: 'bytes' },
  absent_over_time: { lines: true, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  sum_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  avg_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  min_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  max_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  first_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  last_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  stddev_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  stdvar_over_time: { lines: false, unwrapped: true, samples: true, param: false, lineValue: 'one' },
  quantile_over_time: { lines: false, unwrapped: true, samples: true, param: true, lineValue: 'one' },
};

export function isRangeFunction(name: string): name is RangeFunctionName {
  return Object.hasOwn(RANGE_FUNCTIONS, name);
}
