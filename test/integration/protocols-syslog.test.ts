import { execFile, execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config/server-config.js';
import { DEFAULT_SYSLOG_SETTINGS, type SyslogSettings } from '../../server/ingest/protocols/syslog/index.js';
import { silentLogger } from '../../server/log/logger.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { startRsyslog, type RsyslogProcess } from '../helpers/rsyslog-process.js';
import { metricValue, queryStreams, streamLines, waitForStreamLines } from '../helpers/loki-streams.js';
import { http, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const HOST = os.hostname();

const rsyslogs: RsyslogProcess[] = [];
const ownServers: RunningServer[] = [];
afterEach(async () => {
  while (rsyslogs.length > 0) await rsyslogs.pop()!.stop();
  while (ownServers.length > 0) await ownServers.pop()!.close();
});

function syslogSettings(extra: Partial<SyslogSettings> = {}): SyslogSettings {
  return { ...DEFAULT_SYSLOG_SETTINGS, host: '127.0.0.1', enabled: true, tcpPort: 0, udpPort: 0, ...extra };
}

async function syslogServer(extra: Partial<SyslogSettings> = {}) {
  const server = await startTestServer({ config: { syslog: syslogSettings(extra) } });
  return { ...server, tcpPort: server.syslog!.tcpPort!, udpPort: server.syslog!.udpPort! };
}

/** util-linux logger, to our listener. */
async function logger(port: number, args: string[]): Promise<void> {
  await run('logger', ['--server', '127.0.0.1', '--port', String(port), ...args]);
}

describe('syslog through util-linux logger', () => {
  it('TCP, RFC 5424, octet counting: labels, structured data and fields are found by LogQL', async () => {
    const { url, tcpPort } = await syslogServer();
    await logger(tcpPort, ['--tcp', '--rfc5424', '--octet-count', '-t', 'billing', '-p', 'local3.warning', '--msgid', 'ID9', '--sd-id', 'meta@32473', '--sd-param', 'env="prod"', 'payment failed for order 42']);

    const [stream] = await waitForStreamLines(url, '{service="billing"}', 1);
    expect(stream!.stream).toEqual({ facility: 'local3', host: HOST, level: 'warn', service: 'billing' });
    expect(stream!.values.map((v) => v[1])).toEqual(['payment failed for order 42']);
    // Structured data and header fields are fields: filterable, not stream labels.
    const filtered = await queryStreams(url, '{service="billing"} | meta_32473_env="prod" | msg_id="ID9" | severity="warning" | timeQuality_tzKnown="1"');
    expect(streamLines(filtered)).toEqual(['payment failed for order 42']);
    expect(streamLines(await queryStreams(url, '{service="billing"} | meta_32473_env="dev"'))).toEqual([]);
  });

  it('TCP, RFC 3164, newline framing: every line of a file, with tag, pid and facility', async () => {
    const { url, tcpPort } = await syslogServer();
    const file = path.join(tempDir(), 'lines.txt');
    fs.writeFileSync(file, 'job one started\njob two started\njob three started\n');
    await logger(tcpPort, ['--tcp', '--rfc3164', '-t', 'nightly', '-i', '-p', 'cron.info', '-f', file]);

    const streams = await waitForStreamLines(url, '{service="nightly"}', 3);
    expect(streams.map((s) => s.stream)).toEqual([{ facility: 'cron', host: HOST, level: 'info', service: 'nightly' }]);
    expect(streamLines(streams)).toEqual(['job one started', 'job two started', 'job three started']);
    expect(streamLines(await queryStreams(url, '{service="nightly"} | proc_id=~"[0-9]+" |= "two"'))).toEqual(['job two started']);
  });

  it('UDP, both formats', async () => {
    const { url, udpPort } = await syslogServer();
    await logger(udpPort, ['--udp', '--rfc5424', '-t', 'edge', '-p', 'daemon.err', 'disk almost full']);
    await logger(udpPort, ['--udp', '--rfc3164', '-t', 'edge', '-p', 'daemon.debug', 'cache warmed']);

    const streams = await waitForStreamLines(url, '{service="edge"}', 2);
    expect(Object.fromEntries(streams.map((s) => [s.stream.level, streamLines([s])]))).toEqual({ error: ['disk almost full'], debug: ['cache warmed'] });
    expect(streams.every((s) => s.stream.facility === 'daemon' && s.stream.host === HOST)).toBe(true);
    expect(await metricValue(url, 'sluice_listener_lines_written_total', 'protocol="syslog",transport="udp"')).toBe(2);
  });
});

describe('syslog through rsyslog forwarding', () => {
  it('imfile → omfwd: TCP RFC 5424 octet-counted, and UDP in rsyslog’s forwarding format', async () => {
    const { url, tcpPort, udpPort } = await syslogServer();
    const dir = tempDir('sluice-rsyslog-');
    fs.writeFileSync(path.join(dir, 'web.log'), 'GET /checkout 502\nGET /health 200\n');
    fs.writeFileSync(path.join(dir, 'batch.log'), 'import finished: 1200 rows\n');
    rsyslogs.push(
      await startRsyslog(
        dir,
        `module(load="imfile")
input(type="imfile" file="${dir}/web.log" tag="webshop" facility="local5" severity="error" ruleset="tcp")
input(type="imfile" file="${dir}/batch.log" tag="importer" facility="local6" severity="notice" ruleset="udp")
ruleset(name="tcp") { action(type="omfwd" target="127.0.0.1" port="${tcpPort}" protocol="tcp" tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format") }
ruleset(name="udp") { action(type="omfwd" target="127.0.0.1" port="${udpPort}" protocol="udp" template="RSYSLOG_ForwardFormat") }
`,
      ),
    );
    // A line written while rsyslog runs is shipped too.
    fs.appendFileSync(path.join(dir, 'web.log'), 'GET /cart 200\n');

    const web = await waitForStreamLines(url, '{service="webshop"}', 3);
    expect(web.map((s) => s.stream)).toEqual([{ facility: 'local5', host: HOST, level: 'error', service: 'webshop' }]);
    expect(streamLines(web)).toEqual(['GET /checkout 502', 'GET /health 200', 'GET /cart 200']);
    const batch = await waitForStreamLines(url, '{service="importer", facility="local6"}', 1);
    expect(batch[0]!.stream).toEqual({ facility: 'local6', host: HOST, level: 'info', service: 'importer' });
    expect(streamLines(batch)).toEqual(['import finished: 1200 rows']);
  });

  it('TLS (RFC 5425) from rsyslog’s gtls driver', async () => {
    const dir = tempDir('sluice-syslog-tls-');
    const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const { url, tcpPort } = await syslogServer({ tls: { cert, key }, udpPort: null });
    fs.writeFileSync(path.join(dir, 'secure.log'), 'sent over TLS\n');
    rsyslogs.push(
      await startRsyslog(
        dir,
        `global(defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${cert}")
module(load="imfile")
input(type="imfile" file="${dir}/secure.log" tag="vault" ruleset="tls")
ruleset(name="tls") { action(type="omfwd" target="127.0.0.1" port="${tcpPort}" protocol="tcp" tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format" streamDriver="gtls" streamDriverMode="1" streamDriverAuthMode="anon") }
`,
      ),
    );
    const streams = await waitForStreamLines(url, '{service="vault"}', 1);
    expect(streamLines(streams)).toEqual(['sent over TLS']);
    expect(await metricValue(url, 'sluice_listener_lines_written_total', 'protocol="syslog",transport="tls"')).toBe(1);
  });
});

describe('syslog: bad input, auth, shutdown', () => {
  it('keeps malformed lines as raw text, cuts oversized frames, and stays up', async () => {
    const { url, tcpPort, udpPort } = await syslogServer({ maxMessageBytes: 1024 });
    const socket = net.connect(tcpPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('no priority at all\n');
    socket.write(Buffer.from([0xff, 0xfe, 0x00, 0x0a]));
    socket.write('<13>1 2024-13-45T99:99:99Z broken header\n');
    socket.write('A'.repeat(5000) + '\n');
    // Octet count 30: the 5000 Bs past those 30 bytes are then one newline-framed frame, cut at 1024.
    socket.write('30 <13>1 - - cut - - - ' + 'B'.repeat(5000) + '\n');
    socket.write('<13>1 - - after-garbage - - - still framed\n');
    socket.end();
    const udp = dgram.createSocket('udp4');
    for (const datagram of [Buffer.alloc(0), Buffer.from('\n\n'), Buffer.from([0xc3, 0x28]), Buffer.from('<999>x')]) {
      await new Promise((resolve) => udp.send(datagram, udpPort, '127.0.0.1', resolve));
    }
    udp.close();

    await waitForStreamLines(url, '{service="after-garbage"}', 1);
    expect(streamLines(await queryStreams(url, '{host="127.0.0.1"} | syslog_error="no PRI" |= "no priority"'))).toEqual(['no priority at all']);
    expect(streamLines(await queryStreams(url, '{host="127.0.0.1"} |= "broken header"'))).toEqual(['<13>1 2024-13-45T99:99:99Z broken header']);
    const cut = streamLines(await queryStreams(url, '{host="127.0.0.1"} | syslog_truncated="true"'));
    expect(cut).toEqual(['A'.repeat(1024), 'B'.repeat(1024)]);
    expect(streamLines(await queryStreams(url, '{service="cut"}'))).toEqual(['B'.repeat(10)]);
    await waitFor(async () => (await metricValue(url, 'sluice_listener_lines_rejected_total', 'transport="udp",reason="empty"')) === 2);
    expect(streamLines(await queryStreams(url, '{host="127.0.0.1"} |= "<999>x"'))).toEqual(['<999>x']);
    expect((await http(url, 'GET', '/healthz')).status).toBe(200);
  });

  it('with auth on: a token in structured data, or the listener’s token; others are rejected and counted', async () => {
    const start = async (settings: SyslogSettings) => {
      const config: ServerConfig = { ...DEFAULT_CONFIG, dataDir: tempDir(), host: '127.0.0.1', port: 0, auth: { ...DEFAULT_CONFIG.auth, enabled: false }, syslog: settings };
      const server = await startServer(config, { logger: silentLogger, listenerAuth: (token) => token === 'good' });
      ownServers.push(server);
      return server;
    };
    const open = await start(syslogSettings({ udpPort: null }));
    const port = open.syslog!.tcpPort!;
    await logger(port, ['--tcp', '--rfc5424', '-t', 'authz', '--sd-id', 'sluice@32473', '--sd-param', 'token="good"', 'with a good token']);
    await logger(port, ['--tcp', '--rfc5424', '-t', 'authz', '--sd-id', 'sluice@32473', '--sd-param', 'token="bad"', 'with a bad token']);
    await logger(port, ['--tcp', '--rfc3164', '-t', 'authz', 'with no token']);
    await waitFor(async () => (await metricValue(open.url, 'sluice_listener_lines_rejected_total', 'reason="unauthenticated"')) === 2);
    const accepted = await waitForStreamLines(open.url, '{service="authz"}', 1);
    expect(streamLines(accepted)).toEqual(['with a good token']);
    // The token is never stored.
    expect(JSON.stringify(await queryStreams(open.url, '{service="authz"} | line_format "{{.sluice_32473_token}}"'))).not.toContain('good');

    const tokened = await start(syslogSettings({ udpPort: null, token: 'good' }));
    await logger(tokened.syslog!.tcpPort!, ['--tcp', '--rfc3164', '-t', 'authz', 'with the listener token']);
    expect(streamLines(await waitForStreamLines(tokened.url, '{service="authz"}', 1))).toEqual(['with the listener token']);
  });

  it('writes every line it has read before a graceful shutdown completes', async () => {
    const dataDir = tempDir();
    const server = await startTestServer({ dataDir, config: { syslog: syslogSettings({ udpPort: null }) } });
    const socket = net.connect(server.syslog!.tcpPort!, '127.0.0.1');
    // More than one write's worth (10,000), so that lines are still queued when close() is called.
    const count = 12_000;
    let payload = '';
    for (let i = 0; i < count; i++) payload += `<14>1 - - drain - - - line ${i}\n`;
    socket.end(payload);
    // The listener answers our FIN with its own once it has read (and queued) everything.
    await new Promise((resolve) => socket.once('close', resolve));
    await server.close();

    const reopened = await startTestServer({ dataDir });
    const now = Date.now() / 1000;
    const res = await http(reopened.url, 'GET', `/loki/api/v1/query?query=${encodeURIComponent('sum(count_over_time({service="drain"}[1h]))')}&time=${now + 60}`);
    expect(res.json.data.result[0].value[1]).toBe(String(count));
    expect(streamLines(await queryStreams(reopened.url, '{service="drain"} |= "line 11999"'))).toEqual(['line 11999']);
  });
});
