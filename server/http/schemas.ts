import { z } from 'zod';
import { SluiceError } from '../errors.js';

/** Request bodies of the admin and group endpoints (the produce path parses by hand, for speed). */
const positiveOrNull = z.number().int().positive().nullable();

export const createTopicBody = z.strictObject({
  name: z.string(),
  partitions: z.number().int().min(1).max(10_000).default(1),
  retentionMs: positiveOrNull.optional(),
  retentionBytes: positiveOrNull.optional(),
});

export const updateTopicBody = z.strictObject({
  partitions: z.number().int().min(1).max(10_000).optional(),
  retentionMs: positiveOrNull.optional(),
  retentionBytes: positiveOrNull.optional(),
});

export const joinGroupBody = z.strictObject({
  topics: z.array(z.string()).min(1),
  sessionTimeoutMs: z.number().int().optional(),
  autoOffsetReset: z.enum(['earliest', 'latest']).optional(),
  clientId: z.string().max(256).optional(),
});

export const commitOffsetsBody = z.strictObject({
  offsets: z.array(
    z.strictObject({
      topic: z.string(),
      partition: z.number().int().min(0),
      offset: z.number().int().min(0),
      metadata: z.string().max(4096).optional(),
    }),
  ),
  memberId: z.string().optional(),
  generation: z.number().int().optional(),
});

/** Validates `value` against `schema`, turning the first issue into a 400 that names the field. */
export function validateBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
  throw new SluiceError('invalid_request', `${where}${issue.message}`);
}
