import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach } from 'vitest';

/** One message the sink accepted, decoded enough for tests to read. */
export interface ReceivedMail {
  /** SMTP envelope. */
  from: string;
  to: string[];
  /** The user who logged in, if any. */
  username: string | null;
  raw: string;
  /** Header names lower-cased; the first occurrence of each. */
  headers: Record<string, string>;
  /** Every header name in the message, lower-cased, in order (repeats included). */
  headerNames: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSink {
  port: number;
  /** `127.0.0.1:<port>`, for `smarthost`. */
  smarthost: string;
  messages: ReceivedMail[];
  /** Answer every following message with this SMTP error code (e.g. 451, 550), or accept again with null. */
  rejectWith(code: number | null): void;
  close(): Promise<void>;
}

const running: SmtpSink[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

/**
 * A real SMTP server on 127.0.0.1 and a free port (smtp-server), keeping every message it accepts.
 * No TLS (tests set require_tls: false); with `auth`, only that user and password may log in.
 * Closed after the current test.
 */
export async function startSmtpSink(options: { auth?: { username: string; password: string } } = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  let rejectCode: number | null = null;
  const config: SMTPServerOptions = {
    disabledCommands: ['STARTTLS', ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    closeTimeout: 100,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.username && auth.password === options.auth.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (rejectCode !== null) return callback(Object.assign(new Error('rejected by the test'), { responseCode: rejectCode }));
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          username: (session.user as string | undefined) ?? null,
          raw,
          ...parseMessage(raw),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  const sink: SmtpSink = {
    port,
    smarthost: `127.0.0.1:${port}`,
    messages,
    rejectWith: (code) => (rejectCode = code),
    close: () => (closed ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
  running.push(sink);
  return sink;
}

/** Splits a message into headers and decoded text/html parts (enough MIME for nodemailer's output). */
export function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'headerNames' | 'subject' | 'text' | 'html'> {
  const { headers, names, body } = splitHeaders(raw);
  const out = { headers, headerNames: names, subject: decodeWords(headers['subject'] ?? ''), text: '', html: '' };
  const visit = (partHeaders: Record<string, string>, partBody: string) => {
    const type = partHeaders['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (/^multipart\//i.test(type) && boundary) {
      for (const part of partBody.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        const sub = splitHeaders(part.replace(/^\r?\n/, ''));
        visit(sub.headers, sub.body);
      }
      return;
    }
    const decoded = decodeBody(partBody, partHeaders['content-transfer-encoding'] ?? '7bit');
    if (/^text\/html/i.test(type)) out.html += decoded;
    else if (/^text\/plain/i.test(type)) out.text += decoded;
  };
  visit(headers, body);
  return out;
}

function splitHeaders(text: string): { headers: Record<string, string>; names: string[]; body: string } {
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  const names: string[] = [];
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    names.push(name);
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, names, body };
}

function decodeBody(body: string, encoding: string): string {
  const enc = encoding.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body.replace(/=\r?\n/g, ''));
  return body;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII subjects. */
function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
