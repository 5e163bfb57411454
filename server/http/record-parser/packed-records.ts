import type { ProduceRecord } from '../../store/index.js';

/**
 * Produce records in a form one thread can hand another without copying object by object: every key,
 * value and header value back to back in one buffer, and per record six numbers saying where they
 * are. Both buffers are transferred (moved, not cloned) by postMessage.
 */
export interface PackedRecords {
  data: Uint8Array;
  /** Per record: key start, key length, value start, value length, partition, timestamp; -1 = none (null). */
  meta: Float64Array;
  /** Per record index, its headers (sparse: most records have none); null when no record has any. */
  headers: Array<PackedHeader[] | undefined> | null;
}

export interface PackedHeader {
  key: string;
  start: number;
  /** -1 for a null value. */
  length: number;
}

const FIELDS = 6;

export function packRecords(records: readonly ProduceRecord[]): PackedRecords {
  let total = 0;
  for (const r of records) {
    total += (r.key?.length ?? 0) + (r.value?.length ?? 0);
    if (r.headers) for (const h of r.headers) total += h.value?.length ?? 0;
  }
  // Its own ArrayBuffer (not a slice of Node's shared pool), so it can be transferred.
  const data = Buffer.allocUnsafeSlow(total);
  const meta = new Float64Array(records.length * FIELDS);
  let headers: PackedRecords['headers'] = null;
  let at = 0;
  const put = (bytes: Buffer | null, m: number): void => {
    if (bytes === null) {
      meta[m] = -1;
      meta[m + 1] = -1;
      return;
    }
    meta[m] = at;
    meta[m + 1] = bytes.length;
    at += bytes.copy(data, at);
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const m = i * FIELDS;
    put(r.key, m);
    put(r.value, m + 2);
    meta[m + 4] = r.partition ?? -1;
    meta[m + 5] = r.timestamp ?? -1;
    if (r.headers) {
      headers ??= [];
      headers[i] = r.headers.map((h) => {
        const start = at;
        if (h.value !== null) at += h.value.copy(data, at);
        return { key: h.key, start, length: h.value === null ? -1 : h.value.length };
      });
    }
  }
  return { data, meta, headers };
}

export function unpackRecords(packed: PackedRecords): ProduceRecord[] {
  const { meta, headers } = packed;
  const data = Buffer.from(packed.data.buffer, packed.data.byteOffset, packed.data.byteLength);
  const slice = (start: number, length: number): Buffer | null => (length < 0 ? null : data.subarray(start, start + length));
  const out = new Array<ProduceRecord>(meta.length / FIELDS);
  for (let i = 0; i < out.length; i++) {
    const m = i * FIELDS;
    const record: ProduceRecord = { key: slice(meta[m]!, meta[m + 1]!), value: slice(meta[m + 2]!, meta[m + 3]!) };
    if (meta[m + 4]! >= 0) record.partition = meta[m + 4]!;
    if (meta[m + 5]! >= 0) record.timestamp = meta[m + 5]!;
    const own = headers?.[i];
    if (own) record.headers = own.map((h) => ({ key: h.key, value: slice(h.start, h.length) }));
    out[i] = record;
  }
  return out;
}

/** The buffers postMessage should move rather than copy. */
export function packedTransferList(packed: PackedRecords): ArrayBuffer[] {
  return [packed.data.buffer as ArrayBuffer, packed.meta.buffer as ArrayBuffer];
}
