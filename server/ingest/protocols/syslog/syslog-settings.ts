/** The `syslog:` section of the server config, resolved. */
export interface SyslogSettings {
  enabled: boolean;
  /** Listen address of both listeners; defaults to the server's `host`. */
  host: string;
  /** TCP (or TLS) port; null: no TCP listener. */
  tcpPort: number | null;
  /** UDP port; null: no UDP listener. */
  udpPort: number | null;
  /** PEM files: the TCP listener speaks TLS (RFC 5425). UDP stays plain. */
  tls: { cert: string; key: string } | null;
  /** What a message without a token of its own is authenticated as, when auth is on. */
  token: string | null;
  /** Longer messages are cut to this (rsyslog's maxMessageSize is 8 KiB, syslog-ng's 64 KiB). */
  maxMessageBytes: number;
}

export const DEFAULT_SYSLOG_SETTINGS: Omit<SyslogSettings, 'host'> = {
  enabled: false,
  // 514 needs root; 1514 is the unprivileged port syslog-ng and Graylog use.
  tcpPort: 1514,
  udpPort: 1514,
  tls: null,
  token: null,
  maxMessageBytes: 64 * 1024,
};
