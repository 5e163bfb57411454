/**
 * The data that flows through the agent: sources → (multiline, parser) → batcher → shipper.
 *
 *   FileTailer ──RawLine──▶ Multiline ──RawLine──▶ Parser ──LogEvent──▶ Batcher ──Batch──▶ Shipper
 *                                                                                    │
 *                                               Checkpoints ◀── positions, once acked or buffered
 */

/**
 * A file's identity: device + inode, plus a fingerprint of its first bytes so a reused inode (a file
 * deleted and another created) is not mistaken for the old file.
 */
export interface FileIdentity {
  dev: number;
  ino: number;
  /** Hex CRC-32C of the first FINGERPRINT_BYTES bytes; '' while the file is shorter than that. */
  fingerprint: string;
}

/** Where reading a file has got to: bytes up to `offset` are handled. */
export interface FilePosition {
  /** `${dev}:${ino}:${fingerprint}` */
  fileKey: string;
  path: string;
  offset: number;
}

/** One line (or a joined multiline event) read from a file. */
export interface RawLine {
  text: string;
  /** The source (index into config.sources) the file was matched by. */
  source: number;
  path: string;
  fileKey: string;
  /** File offset just past this line's newline: the checkpoint once this line is shipped. */
  endOffset: number;
  /** Epoch ms when it was read. */
  readAt: number;
}

/** A log entry ready to ship, in the shape `POST /api/v1/logs` takes. */
export interface ShipEntry {
  /** Epoch ns, decimal string. */
  ts: string;
  line: string;
  labels: Record<string, string>;
  fields?: Record<string, unknown>;
}

/** What a batch covers: entries to send, and where each file's reading stands once they are delivered. */
export interface Batch {
  entries: ShipEntry[];
  positions: FilePosition[];
  bytes: number;
}
