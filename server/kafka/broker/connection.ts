import type { Socket } from 'node:net';
import type { Logger } from '../../log/logger.js';
import { decodeRequest, encodeResponse, isFlexible, supportsVersion, type ApiDefinition } from '../protocol/api.js';
import { KafkaError } from '../protocol/error-codes.js';
import { MalformedMessageError } from '../protocol/malformed-message.js';
import { Reader } from '../protocol/reader.js';
import { readHeaderPrefix, readHeaderRest, writeResponseHeader } from '../protocol/request-header.js';
import type { Encodable, Shape } from '../protocol/schema.js';
import { Writer } from '../protocol/writer.js';
import { advertisedApis } from './advertised-apis.js';
import { FrameDecoder, FrameSizeError } from './frame-decoder.js';
import type { Route } from './route.js';
import { authenticatePlain } from './sasl-plain.js';
import { Session, type KafkaAuthenticator } from './session.js';

const API_VERSIONS_KEY = 18;
const SASL_HANDSHAKE_KEY = 17;
const SASL_AUTHENTICATE_KEY = 36;
/** Before SASL succeeds only these may be asked (Kafka closes the connection on anything else). */
const BEFORE_AUTH = new Set([API_VERSIONS_KEY, SASL_HANDSHAKE_KEY, SASL_AUTHENTICATE_KEY]);
/**
 * Requests read ahead of their responses: clients pipeline (librdkafka keeps up to a million in flight),
 * and the handlers of queued requests run concurrently, but memory must stay bounded. Past this, the
 * socket stops being read until responses go out.
 */
const MAX_IN_FLIGHT = 64;
/** ... and past this many bytes of requests not yet answered (a produce's batches live until its answer). */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export interface ConnectionDeps {
  routes: ReadonlyMap<number, Route>;
  maxFrameBytes: number;
  authenticate: KafkaAuthenticator | null;
  authRequired: boolean;
  logger: Logger;
}

interface Slot {
  /** The framed response; empty for a request that gets none; null until the handler finishes. */
  frame: Buffer[] | null;
  /** Size of the request, counted against MAX_IN_FLIGHT_BYTES until it is answered. */
  requestBytes: number;
}

/**
 * One client connection. Frames are decoded as they arrive and every request's handler starts at once,
 * in arrival order (so produces append in the order they were sent), but responses are written strictly
 * in request order, as the protocol requires. A frame that cannot be trusted (oversize, truncated, an
 * unknown API or version) closes the connection, as Kafka does; nothing a client sends can throw past
 * this class.
 */
export class KafkaConnection {
  private readonly decoder: FrameDecoder;
  private readonly session: Session;
  private readonly queue: Slot[] = [];
  private inFlightBytes = 0;
  private closed = false;
  private draining = false;
  private waitingForDrain = false;
  private readPaused = false;

  constructor(
    private readonly socket: Socket,
    private readonly deps: ConnectionDeps,
    private readonly onClose: () => void,
  ) {
    this.decoder = new FrameDecoder(deps.maxFrameBytes);
    this.session = new Session(socket.remoteAddress ?? '', deps.authRequired);
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.updateFlow();
    });
    socket.on('error', (err) => this.deps.logger.debug('kafka connection error', { client: this.session.clientHost, err: err.message }));
    socket.on('close', () => {
      this.closed = true;
      this.onClose();
    });
  }

  /** Stops reading requests; the socket is ended once the responses already owed are written. */
  drain(): void {
    this.draining = true;
    this.socket.pause();
    this.endIfDrained();
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    try {
      for (const frame of this.decoder.push(data)) {
        if (this.closed || this.draining) return;
        this.onFrame(frame);
      }
    } catch (err) {
      if (err instanceof FrameSizeError) {
        this.refuse('frame size out of bounds', { size: err.size, max: err.max });
      } else {
        // A bug, not the client's doing; still, one connection's bytes must never take the server down.
        this.deps.logger.error('kafka connection failed', { client: this.session.clientHost, err });
        this.destroy();
      }
    }
  }

  private onFrame(frame: Buffer): void {
    if (this.session.expectsRawToken) {
      this.onRawSaslToken(frame);
      return;
    }
    const r = new Reader(frame);
    let prefix: ReturnType<typeof readHeaderPrefix>;
    try {
      prefix = readHeaderPrefix(r);
    } catch {
      this.refuse('frame shorter than a request header', { bytes: frame.length });
      return;
    }
    const route = this.deps.routes.get(prefix.apiKey);
    if (!route) {
      this.refuse('unknown API key', { apiKey: prefix.apiKey });
      return;
    }
    const api = route.api;
    if (!supportsVersion(api, prefix.apiVersion)) {
      if (api.key === API_VERSIONS_KEY) {
        // KIP-511: answer in v0 with the error and our ranges, so the client can retry with one it shares.
        this.respond(this.enqueue(frame.length), api, 0, prefix.correlationId, { errorCode: KafkaError.UNSUPPORTED_VERSION, apiKeys: advertisedApis(this.deps.routes) });
        return;
      }
      this.refuse('unsupported API version', { api: api.name, version: prefix.apiVersion });
      return;
    }
    let request;
    let clientId: string | null;
    try {
      ({ clientId } = readHeaderRest(r, isFlexible(api, prefix.apiVersion)));
      request = decodeRequest(api, r, prefix.apiVersion);
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      this.refuse('malformed request', { api: api.name, version: prefix.apiVersion, reason: err.message });
      return;
    }
    if (!this.session.authenticated && !BEFORE_AUTH.has(api.key)) {
      this.refuse('request before SASL authentication', { api: api.name });
      return;
    }
    const slot = this.enqueue(frame.length);
    const header = { ...prefix, clientId };
    let result: ReturnType<Route['handle']>;
    try {
      result = route.handle(request, { header, session: this.session });
    } catch (err) {
      result = Promise.reject(err);
    }
    Promise.resolve(result)
      .then((response) => {
        if (response === null) this.settle(slot, []);
        else this.respond(slot, api, prefix.apiVersion, prefix.correlationId, response);
      })
      .catch((err: unknown) => {
        // A handler or encoder bug: this connection cannot be answered in order any more; others carry on.
        this.deps.logger.error('kafka request failed', { api: api.name, version: prefix.apiVersion, client: this.session.clientHost, err });
        this.destroy();
      });
  }

  /** After SaslHandshake v0: the frame is a bare SASL/PLAIN token; success is an empty frame, failure a close. */
  private onRawSaslToken(frame: Buffer): void {
    this.session.expectsRawToken = false;
    const slot = this.enqueue(frame.length);
    authenticatePlain(frame, this.session, this.deps.authenticate)
      .then((outcome) => {
        if (outcome.ok) this.settle(slot, [Buffer.alloc(4)]);
        else this.refuse(outcome.message, {});
      })
      .catch((err: unknown) => {
        this.deps.logger.error('kafka SASL authentication failed', { err });
        this.destroy();
      });
  }

  private enqueue(requestBytes: number): Slot {
    const slot: Slot = { frame: null, requestBytes };
    this.queue.push(slot);
    this.inFlightBytes += requestBytes;
    this.updateFlow();
    return slot;
  }

  private respond(slot: Slot, api: ApiDefinition<Shape, Shape>, version: number, correlationId: number, body: Encodable<Shape>): void {
    const w = new Writer();
    w.int32(0);
    // ApiVersions answers in response header v0 whatever its version (see request-header.ts).
    writeResponseHeader(w, correlationId, api.key !== API_VERSIONS_KEY && isFlexible(api, version));
    encodeResponse(api, body, w, version);
    w.patchInt32(0, w.length - 4);
    this.settle(slot, w.finish());
  }

  private settle(slot: Slot, frame: Buffer[]): void {
    slot.frame = frame;
    if (this.closed) return;
    this.socket.cork();
    while (this.queue.length > 0 && this.queue[0]!.frame !== null) {
      const done = this.queue.shift()!;
      this.inFlightBytes -= done.requestBytes;
      for (const chunk of done.frame!) {
        if (!this.socket.write(chunk)) this.waitingForDrain = true;
      }
    }
    this.socket.uncork();
    if (this.session.closeAfterResponses && this.queue.length === 0) {
      this.socket.end();
      return;
    }
    this.updateFlow();
    this.endIfDrained();
  }

  /** Reads from the socket only while the in-flight queue and the socket's write buffer have room. */
  private updateFlow(): void {
    if (this.closed || this.draining) return;
    const shouldPause = this.queue.length >= MAX_IN_FLIGHT || this.inFlightBytes >= MAX_IN_FLIGHT_BYTES || this.waitingForDrain;
    if (shouldPause && !this.readPaused) this.socket.pause();
    else if (!shouldPause && this.readPaused) this.socket.resume();
    this.readPaused = shouldPause;
  }

  private endIfDrained(): void {
    if (this.draining && this.queue.length === 0 && !this.closed) this.socket.end();
  }

  private refuse(reason: string, fields: Record<string, unknown>): void {
    this.deps.logger.warn(`kafka connection closed: ${reason}`, { client: this.session.clientHost, ...fields });
    this.destroy();
  }
}
