import { SluiceError } from '../../../errors.js';
import { jsonPushEntries } from './push-json.js';
import { protoPushEntries } from './proto-entries.js';
import { decodeProtoPush } from './push-proto.js';
import type { SubmittedEntry } from '../submitted-ts.js';

/**
 * Loki's push API (`POST /loki/api/v1/push`) decoded into Sluice log entries. As in Loki, the
 * Content-Type picks the format: `application/json` is JSON; anything else (Promtail and Alloy send
 * `application/x-protobuf`; Loki also takes no type at all) is protobuf in snappy block compression.
 * `body` is already gzip-decoded when the request said Content-Encoding: gzip (http/body.ts).
 */
export function lokiPushEntries(body: Buffer, contentType: string | undefined, maxBytes: number): SubmittedEntry[] {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return jsonPushEntries(body);
  if (type === '' || type === 'application/x-protobuf' || type === 'application/octet-stream') {
    return protoPushEntries(decodeProtoPush(body, maxBytes));
  }
  throw new SluiceError('unsupported_media_type', `Content-Type ${JSON.stringify(type)} is not supported; use application/x-protobuf (snappy) or application/json`);
}
