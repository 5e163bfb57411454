import { SluiceError } from '../../../errors.js';

/**
 * The GELF messages of one payload (after decompression): a JSON object, or several separated by
 * newlines (Graylog's bulk HTTP form). A syntax error names the line.
 */
export function readGelfMessages(json: Buffer): unknown[] {
  const text = json.toString('utf8');
  try {
    return [JSON.parse(text)];
  } catch (err) {
    if (!text.includes('\n')) throw notJson(err);
  }
  const messages: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      messages.push(JSON.parse(line));
    } catch (err) {
      throw notJson(err, i + 1);
    }
  }
  return messages;
}

function notJson(err: unknown, line?: number): SluiceError {
  return new SluiceError('invalid_request', `${line === undefined ? '' : `line ${line}: `}GELF message is not valid JSON: ${(err as Error).message}`);
}
