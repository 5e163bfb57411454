import type { RE2JS } from 're2js';
import type { LineAt } from './line-splitter.js';

export interface MultilineRule {
  /** Compiled once per source; RE2 so a user's pattern runs in linear time. */
  start: RE2JS;
  maxLines: number;
  timeoutMs: number;
  /** An event never grows past this many bytes of text (the agent's maxLineBytes). */
  maxBytes: number;
}

/**
 * Joins one file's lines into events: a line that matches `start` begins an event, any other line is
 * appended to the current one (a file that begins with continuation lines makes an event of them).
 * An event ends when the next start line arrives, at maxLines, at maxBytes, or when no line came for
 * timeoutMs (the caller asks with flushIfIdle, using its injected clock). An event's endOffset is its
 * last line's, so a checkpoint never lands inside an event.
 */
export class MultilineJoiner {
  private lines: string[] = [];
  private bytes = 0;
  private endOffset = 0;
  private lastLineAt = 0;

  constructor(private readonly rule: MultilineRule) {}

  get pending(): boolean {
    return this.lines.length > 0;
  }

  push(line: LineAt, now: number): LineAt[] {
    const done: LineAt[] = [];
    const lineBytes = Buffer.byteLength(line.text);
    if (this.pending && (this.rule.start.matcher(line.text).find() || this.bytes + 1 + lineBytes > this.rule.maxBytes)) {
      done.push(this.take());
    }
    this.bytes += (this.pending ? 1 : 0) + lineBytes;
    this.lines.push(line.text);
    this.endOffset = line.endOffset;
    this.lastLineAt = now;
    if (this.lines.length >= this.rule.maxLines) done.push(this.take());
    return done;
  }

  flushIfIdle(now: number): LineAt | undefined {
    return this.pending && now - this.lastLineAt >= this.rule.timeoutMs ? this.take() : undefined;
  }

  flush(): LineAt | undefined {
    return this.pending ? this.take() : undefined;
  }

  private take(): LineAt {
    const event = { text: this.lines.join('\n'), endOffset: this.endOffset };
    this.lines = [];
    this.bytes = 0;
    return event;
  }
}
