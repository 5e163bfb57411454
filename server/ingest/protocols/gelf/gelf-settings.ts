/** The `gelf:` section of the server config, resolved. `POST /gelf` is always served with the HTTP API. */
export interface GelfSettings {
  udpEnabled: boolean;
  /** Listen address of the UDP listener; defaults to the server's `host`. */
  host: string;
  udpPort: number;
  /** A message larger than this after decompression is refused (GELF caps a UDP message at 128 chunks). */
  maxMessageBytes: number;
}

export const DEFAULT_GELF_SETTINGS: Omit<GelfSettings, 'host'> = {
  udpEnabled: false,
  // Graylog's GELF input default.
  udpPort: 12201,
  maxMessageBytes: 1024 * 1024,
};
