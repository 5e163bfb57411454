import { parentPort } from 'node:worker_threads';
import { SluiceError } from '../../errors.js';
import { parseJson } from '../params.js';
import { parseJsonRecords } from '../record-codec.js';
import type { WorkerReply } from '../../worker-calls.js';
import { packedTransferList, packRecords, type PackedRecords } from './packed-records.js';

/** Entry point of the JSON produce parser thread (json-records-parser.ts). */
export interface ParseRequest {
  id: number;
  body: Uint8Array;
  maxRecordBytes: number;
}

const port = parentPort!;
port.on('message', (request: ParseRequest) => {
  let reply: WorkerReply<PackedRecords>;
  let transfer: ArrayBuffer[] = [];
  try {
    const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const packed = packRecords(parseJsonRecords(parseJson(body), { maxRecordBytes: request.maxRecordBytes }));
    reply = { id: request.id, result: packed };
    transfer = packedTransferList(packed);
  } catch (err) {
    reply = {
      id: request.id,
      error: err instanceof SluiceError ? { code: err.code, message: err.message } : { code: 'internal', message: String(err) },
    };
  }
  port.postMessage(reply, transfer);
});
