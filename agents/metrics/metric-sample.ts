/** One host metric reading. The agent stamps `ts` and adds its labels when it ships the batch. */
export interface HostMetricSample {
  name: string;
  value: number;
  labels: Record<string, string>;
}
