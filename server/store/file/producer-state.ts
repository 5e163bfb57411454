import { SluiceError } from '../../errors.js';
import type { BatchHeader } from '../record-batch/index.js';

/** How many recent batches per producer are remembered for duplicate detection: Kafka's in-flight limit. */
const REMEMBERED_BATCHES = 5;
const SEQUENCE_WRAP = 2 ** 31;

interface WrittenBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: WrittenBatch[];
}

export type SequenceCheck = { kind: 'append' } | { kind: 'duplicate'; baseOffset: number };

/**
 * Idempotent-producer state of one partition, as Kafka's ProducerStateManager keeps it: per producer
 * id, the epoch and the sequence numbers of its last five batches with the offsets they got. A batch
 * whose sequences repeat one of those is a retry of a batch already written (its ack was lost) and is
 * answered with the original offset instead of being written again; one that skips ahead is refused.
 *
 * Kept in memory only: after a restart a producer's next batch is accepted at whatever sequence it
 * carries (as Kafka does for a producer whose state has expired), so a retry that straddles a restart
 * can be written twice. Sequences wrap from 2^31-1 to 0, as in Kafka.
 */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  /** Decides what to do with a batch; throws out_of_order_sequence or invalid_producer_epoch. */
  check(header: BatchHeader): SequenceCheck {
    if (header.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(header.producerId);
    if (!entry) return { kind: 'append' };
    if (header.producerEpoch < entry.epoch) {
      throw new SluiceError('invalid_producer_epoch', `producer ${header.producerId} epoch ${header.producerEpoch} is older than ${entry.epoch}`);
    }
    if (header.producerEpoch > entry.epoch) {
      if (header.baseSequence !== 0) {
        throw new SluiceError('out_of_order_sequence', `producer ${header.producerId} began epoch ${header.producerEpoch} at sequence ${header.baseSequence}, not 0`);
      }
      return { kind: 'append' };
    }
    const lastSequence = lastSequenceOf(header);
    for (const batch of entry.batches) {
      if (batch.firstSequence === header.baseSequence && batch.lastSequence === lastSequence) return { kind: 'duplicate', baseOffset: batch.baseOffset };
    }
    const latest = entry.batches[entry.batches.length - 1];
    if (latest && header.baseSequence !== (latest.lastSequence + 1) % SEQUENCE_WRAP) {
      throw new SluiceError(
        'out_of_order_sequence',
        `producer ${header.producerId} sent sequence ${header.baseSequence}, expected ${(latest.lastSequence + 1) % SEQUENCE_WRAP}`,
      );
    }
    return { kind: 'append' };
  }

  /** Records a batch that was just written at `baseOffset`. */
  record(header: BatchHeader, baseOffset: number): void {
    if (header.producerId < 0) return;
    let entry = this.producers.get(header.producerId);
    if (!entry || header.producerEpoch > entry.epoch) {
      entry = { epoch: header.producerEpoch, batches: [] };
      this.producers.set(header.producerId, entry);
    }
    entry.batches.push({ firstSequence: header.baseSequence, lastSequence: lastSequenceOf(header), baseOffset });
    if (entry.batches.length > REMEMBERED_BATCHES) entry.batches.shift();
  }
}

function lastSequenceOf(header: BatchHeader): number {
  return (header.baseSequence + header.lastOffsetDelta) % SEQUENCE_WRAP;
}
