import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import type { RawLine } from '../pipeline-types.js';
import { openHarness, readLines, sourceConfig, texts } from './test-support.js';

/** Polls until the file has been read to its end and one poll came back empty (nothing due yet). */
async function pollAll(poll: () => Promise<RawLine[]>): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  for (;;) {
    const batch = await poll();
    if (batch.length === 0) return lines;
    lines.push(...batch);
  }
}

const JAVA_LOG = [
  '2024-05-01 12:00:00.123 INFO  com.example.Main - starting',
  '2024-05-01 12:00:01.456 ERROR com.example.Main - startup failed',
  'Exception in thread "main" java.lang.IllegalStateException: could not load config',
  '\tat com.example.config.Loader.load(Loader.java:42)',
  '\tat com.example.Main.run(Main.java:17)',
  '\tat com.example.Main.main(Main.java:9)',
  'Caused by: java.io.FileNotFoundException: /etc/example/app.yaml (No such file or directory)',
  '\tat java.base/java.io.FileInputStream.open0(Native Method)',
  '\tat java.base/java.io.FileInputStream.open(FileInputStream.java:216)',
  '\tat com.example.config.Loader.load(Loader.java:38)',
  '\t... 3 more',
  '2024-05-01 12:00:02.000 INFO  com.example.Main - shutting down',
];

const PYTHON_LOG = [
  '2024-05-01 12:00:00,001 INFO app: handling request 17',
  '2024-05-01 12:00:00,002 ERROR app: request 17 failed',
  'Traceback (most recent call last):',
  '  File "/srv/app/handlers.py", line 42, in handle',
  '    result = parse_amount(payload["amount"])',
  '  File "/srv/app/parsing.py", line 12, in parse_amount',
  '    return int(text)',
  "ValueError: invalid literal for int() with base 10: 'abc'",
  '2024-05-01 12:00:00,010 INFO app: handling request 18',
];

describe('FileSource: lines', () => {
  it('holds a last line without newline until it completes, or ships it as is after partialLineTimeoutMs', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, 'one\ntwo\npar');
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(log)], { clock, partialLineTimeoutMs: 5000 });
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual(['one', 'two']);

    fs.appendFileSync(log, 'tial\nhalf');
    const completed = await h.source.poll(100, 1 << 20);
    expect(completed.map((l) => [l.text, l.endOffset])).toEqual([['partial', 16]]);

    // 'half' has no newline: it waits its full timeout on the injected clock, then goes as it is.
    clock.advance(4999);
    expect(await h.source.poll(100, 1 << 20)).toEqual([]);
    clock.advance(1);
    const flushed = await h.source.poll(100, 1 << 20);
    expect(flushed.map((l) => [l.text, l.endOffset])).toEqual([['half', 20]]);
    await h.source.close();
  });

  it('strips CR of CRLF lines, splits lines over maxLineBytes and reads a binary file as lines of replaced bytes', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'crlf.log'), 'windows\r\nline\r\n');
    fs.writeFileSync(path.join(dir, 'long.log'), `${'x'.repeat(25)}\nshort\n`);
    fs.writeFileSync(path.join(dir, 'binary.log'), Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0a]));
    const h = await openHarness(dir, [sourceConfig(path.join(dir, '*.log'))], { maxLineBytes: 10 });
    const lines = await readLines(h, 8);
    const byFile = (name: string) => lines.filter((l) => l.path.endsWith(name)).map((l) => [l.text, l.endOffset]);
    expect(byFile('crlf.log')).toEqual([
      ['windows', 9],
      ['line', 15],
    ]);
    expect(byFile('long.log')).toEqual([
      ['x'.repeat(10), 10],
      ['x'.repeat(10), 20],
      ['xxxxx', 26],
      ['short', 32],
    ]);
    expect(byFile('binary.log')).toEqual([
      ['\u0000\ufffd\ufffdA', 5],
      ['\ufffdPNG', 10],
    ]);
    await h.source.close();
  });

  it('returns at most maxLines / maxBytes per poll and keeps the rest for the next one', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, Array.from({ length: 10 }, (_, i) => `line-${i}\n`).join(''));
    const h = await openHarness(dir, [sourceConfig(log)]);
    expect(texts(await h.source.poll(3, 1 << 20))).toEqual(['line-0', 'line-1', 'line-2']);
    expect(texts(await h.source.poll(100, 13))).toEqual(['line-3', 'line-4']); // 6 bytes each: a third would pass 13
    expect(texts(await h.source.poll(100, 1))).toEqual(['line-5']); // one line over the budget still goes alone
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual(['line-6', 'line-7', 'line-8', 'line-9']);
    expect(await h.source.poll(100, 1 << 20)).toEqual([]);
    await h.source.close();
  });

  it('multiline: joins a Java stack trace (with Caused by and "... 3 more") under a timestamp start pattern', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, JAVA_LOG.join('\n') + '\n');
    const clock = new ManualClock();
    const multiline = { start: String.raw`^\d{4}-\d{2}-\d{2}`, maxLines: 500, timeoutMs: 1000 };
    const h = await openHarness(dir, [sourceConfig(log, { multiline })], { clock });

    const events = await pollAll(() => h.source.poll(100, 1 << 20));
    expect(texts(events)).toEqual([JAVA_LOG[0], JAVA_LOG.slice(1, 11).join('\n')]);
    // The event ends at its last line ("\t... 3 more"), not at the start line that closed it.
    const traceEnd = Buffer.byteLength(JAVA_LOG.slice(0, 11).join('\n') + '\n');
    expect(events[1]!.endOffset).toBe(traceEnd);

    // The last event has no successor: it goes once no line came for timeoutMs.
    clock.advance(999);
    expect(await h.source.poll(100, 1 << 20)).toEqual([]);
    clock.advance(1);
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual([JAVA_LOG[11]]);
    await h.source.close();
  });

  it('multiline: ^[^\\s] ("not indented") joins indented frames but splits a Java trace at "Caused by:"', async () => {
    const dir = tempDir();
    const trace = JAVA_LOG.slice(2, 11);
    fs.writeFileSync(path.join(dir, 'stderr.log'), trace.join('\n') + '\n');
    const notIndented = { start: String.raw`^[^\s]`, maxLines: 500, timeoutMs: 1000 };
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(path.join(dir, 'stderr.log'), { multiline: notIndented })], { clock });
    const events = texts(await pollAll(() => h.source.poll(100, 1 << 20)));
    clock.advance(1000);
    events.push(...texts(await pollAll(() => h.source.poll(100, 1 << 20))));
    // Indented frames stay with their exception, but "Caused by:" is not indented: the cause becomes an
    // event of its own. For such logs use the line-prefix pattern (previous test) where lines have one.
    expect(events).toEqual([trace.slice(0, 4).join('\n'), trace.slice(4).join('\n')]);
    await h.source.close();
  });

  it('multiline: a Python traceback needs the log-line prefix as start pattern (its last line is not indented)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'prefix.log'), PYTHON_LOG.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'indent.log'), PYTHON_LOG.join('\n') + '\n');
    const clock = new ManualClock();
    const byPrefix = { start: String.raw`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} `, maxLines: 500, timeoutMs: 1000 };
    const byIndent = { start: String.raw`^[^\s]`, maxLines: 500, timeoutMs: 1000 };
    const h = await openHarness(
      dir,
      [sourceConfig(path.join(dir, 'prefix.log'), { multiline: byPrefix }), sourceConfig(path.join(dir, 'indent.log'), { multiline: byIndent })],
      { clock },
    );
    const events = await pollAll(() => h.source.poll(100, 1 << 20));
    clock.advance(1000); // the last event of each file goes on its timeout
    events.push(...(await pollAll(() => h.source.poll(100, 1 << 20))));
    const of = (name: string) => texts(events.filter((e) => e.path.endsWith(name)));

    expect(of('prefix.log')).toEqual([PYTHON_LOG[0], PYTHON_LOG.slice(1, 8).join('\n'), PYTHON_LOG[8]]);
    // "not indented" makes "Traceback ..." and "ValueError: ..." events of their own: the wrong pattern here.
    expect(of('indent.log')).toEqual([PYTHON_LOG[0], PYTHON_LOG[1], PYTHON_LOG.slice(2, 7).join('\n'), PYTHON_LOG[7], PYTHON_LOG[8]]);
    await h.source.close();
  });

  it('multiline: an event ends at maxLines; lines before the first start line form their own event', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, ['  orphan continuation', 'START a', '  1', '  2', '  3', '  4', 'START b', ''].join('\n'));
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(log, { multiline: { start: '^START', maxLines: 3, timeoutMs: 1000 } })], { clock });
    const events = await pollAll(() => h.source.poll(100, 1 << 20));
    expect(texts(events)).toEqual(['  orphan continuation', 'START a\n  1\n  2', '  3\n  4']);
    clock.advance(1000);
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual(['START b']);
    await h.source.close();
  });

  it('multiline: an event still being written is not shipped before its timeout even when more lines come slowly', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, 'START 1\n');
    const clock = new ManualClock();
    const h = await openHarness(dir, [sourceConfig(log, { multiline: { start: '^START', maxLines: 100, timeoutMs: 1000 } })], { clock });
    expect(await h.source.poll(100, 1 << 20)).toEqual([]);
    for (let i = 0; i < 3; i++) {
      clock.advance(600); // each continuation arrives before the timeout: the event stays open
      fs.appendFileSync(log, `  more ${i}\n`);
      await waitFor(async () => (await h.source.poll(100, 1 << 20)).length === 0 && h.source.files()[0]!.offset === fs.statSync(log).size);
    }
    clock.advance(1000);
    expect(texts(await h.source.poll(100, 1 << 20))).toEqual(['START 1\n  more 0\n  more 1\n  more 2']);
    await h.source.close();
  });
});
