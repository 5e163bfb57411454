// Type shapes of the published GELF clients the GELF tests and the protocols benchmark drive (they ship
// no typings); only what those use.
declare module 'graygelf' {
  interface GrayGelfOptions {
    host?: string;
    port?: number;
    compressType?: 'gzip' | 'deflate';
    alwaysCompress?: boolean;
    chunkSize?: number;
  }
  interface LevelMethod {
    (...args: unknown[]): unknown;
    a(short: string, long?: string, fields?: Record<string, unknown>): unknown;
  }
  interface GrayGelf {
    fields: Record<string, unknown>;
    debug: LevelMethod;
    info: LevelMethod;
    warn: LevelMethod;
    error: LevelMethod;
    on(event: 'error', listener: (err: Error) => void): void;
  }
  function graygelf(options: GrayGelfOptions): GrayGelf;
  export default graygelf;
}

declare module 'winston-log2gelf' {
  interface Log2gelfOptions {
    protocol: 'http' | 'https' | 'tcp' | 'tls';
    host: string;
    port: number;
    hostname?: string;
    service?: string;
    environment?: string;
    level?: string;
    /** Merged into the request options (http) or the socket options (tcp), e.g. `{ agent }`. */
    protocolOptions?: Record<string, unknown>;
  }
  class Log2gelf {
    constructor(options: Log2gelfOptions);
    log(info: Record<string, unknown>, callback: () => void): void;
  }
  export default Log2gelf;
}
