import { SluiceError } from '../../errors.js';
import type { AppendedBatch } from '../../store/index.js';
import { encodeRecordBatch, peekBatchSize } from '../../store/record-batch/index.js';
import { route, type Route } from '../broker/route.js';
import { KafkaError } from '../protocol/error-codes.js';
import { decodeLegacyMessageSet } from '../protocol/message-set/index.js';
import { produceApi } from '../protocol/requests/index.js';
import type { HandlerDeps } from './handler-deps.js';
import { errorCodeOf, errorMessageOf } from './store-errors.js';

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
  errorMessage: string | null;
}

/**
 * Produce: each partition's batch goes to the store as it is (compressed or not); the message sets of
 * v0-v2 are re-encoded as a batch. acks=-1 answers once the batch is durable (the fsync policy), acks=1
 * once it is written, acks=0 not at all.
 *
 * Every append is started before the handler first awaits, so the batches of pipelined requests reach
 * the log in the order the client sent them (idempotent producers depend on it).
 */
export function produceRoute(deps: HandlerDeps): Route {
  return route(produceApi, async (request, ctx) => {
    const refusal = refusalOf(request.transactionalId, request.acks, ctx.session.can('ingest'));
    const topics = request.topicData.map((topic) => ({
      name: topic.name,
      results: topic.partitionData.map((p): Promise<PartitionResult> => {
        if (refusal !== KafkaError.NONE) return Promise.resolve(failed(p.index, refusal, null));
        const appended = ctx.header.apiVersion >= 3
          ? appendAll(deps, topic.name, p.index, p.records, request.acks === -1)
          : appendLegacy(deps, topic.name, p.index, p.records, request.acks === -1);
        return appended.then(
          (done) => ({ index: p.index, errorCode: KafkaError.NONE, baseOffset: done.baseOffset, logStartOffset: done.logStartOffset, errorMessage: null }),
          (err: unknown) => failed(p.index, errorCodeOf(err, deps.logger), errorMessageOf(err)),
        );
      }),
    }));
    if (request.acks === 0) return null;
    const responses = [];
    for (const topic of topics) responses.push({ name: topic.name, partitionResponses: await Promise.all(topic.results) });
    return { responses };
  });
}

/** Why a whole request is refused (transactions are not served), or NONE. */
function refusalOf(transactionalId: string | null, acks: number, mayIngest: boolean): number {
  if (transactionalId !== null) return KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
  if (acks !== 0 && acks !== 1 && acks !== -1) return KafkaError.INVALID_REQUIRED_ACKS;
  if (!mayIngest) return KafkaError.TOPIC_AUTHORIZATION_FAILED;
  return KafkaError.NONE;
}

/**
 * Appends the batches of one partition's record set. Producers send exactly one batch (v3+ requires
 * it); several are taken in order, answered with the first one's offset.
 */
function appendAll(deps: HandlerDeps, topic: string, partition: number, records: Buffer | null, durable: boolean): Promise<AppendedBatch> {
  if (records === null || records.length === 0) return Promise.reject(corrupt('empty record set'));
  const appends: Array<Promise<AppendedBatch>> = [];
  let pos = 0;
  while (pos < records.length) {
    const size = peekBatchSize(records, pos);
    if (size < 0 || pos + size > records.length) return Promise.reject(corrupt('record set ends inside a batch'));
    appends.push(deps.store.appendBatch(topic, partition, records.subarray(pos, pos + size), { durable }));
    pos += size;
  }
  return Promise.all(appends).then((done) => done[0]!);
}

/** Produce v0-v2: the old message set, decoded and appended as one new batch. */
function appendLegacy(deps: HandlerDeps, topic: string, partition: number, records: Buffer | null, durable: boolean): Promise<AppendedBatch> {
  if (records === null || records.length === 0) return Promise.reject(corrupt('empty record set'));
  let batch: Buffer;
  try {
    batch = encodeRecordBatch(decodeLegacyMessageSet(records), { defaultTimestamp: deps.clock.now() });
  } catch (err) {
    return Promise.reject(err);
  }
  return deps.store.appendBatch(topic, partition, batch, { durable });
}

function failed(index: number, errorCode: number, errorMessage: string | null): PartitionResult {
  return { index, errorCode, baseOffset: -1, logStartOffset: -1, errorMessage };
}

function corrupt(message: string): SluiceError {
  return new SluiceError('corrupt_record', message);
}
