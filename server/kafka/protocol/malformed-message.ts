/**
 * A request whose bytes do not parse: truncated, a length past the end, a null where the schema allows
 * none. The broker answers it by closing the connection, as Kafka does: once a frame is misread, nothing
 * after it on the connection can be trusted.
 */
export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}
