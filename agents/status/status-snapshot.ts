import { z } from 'zod';

/**
 * What `GET /status` answers: the agent's counters since it started. Counters only grow; filesFollowed
 * and bufferBytes are current values. Times are epoch ms; null means "not yet".
 *
 * The schema is loose: the agent may add more (per-file positions, its version…) and an older
 * `sluice agent status` must still read a newer agent's answer.
 */
export const agentStatusSchema = z.looseObject({
  startedAt: z.number(),
  /** Lines read from files (after multiline joining, one per event). */
  linesRead: z.number(),
  /** Lines the server acknowledged. */
  linesShipped: z.number(),
  /** Lines written to the disk buffer because the server could not take them. */
  linesBuffered: z.number(),
  /** Batch sends that failed and were tried again. */
  batchesRetried: z.number(),
  /** Lines dropped on purpose: a full buffer, an over-long line, a policy in the config. */
  linesDroppedByPolicy: z.number(),
  bytesRead: z.number(),
  /** Files being tailed now. */
  filesFollowed: z.number(),
  /** Size of the disk buffer now. */
  bufferBytes: z.number(),
  lastShipAt: z.number().nullable(),
  lastError: z.object({ message: z.string(), at: z.number() }).nullable(),
});

export type AgentStatusSnapshot = z.infer<typeof agentStatusSchema>;
