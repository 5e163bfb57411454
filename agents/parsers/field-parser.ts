/**
 * What a parser makes of one line's text: its fields, or why it could not. Parsers never throw: a line
 * that does not parse is still shipped, with the reason beside it.
 */
export type FieldParseResult = { ok: true; fields: Record<string, unknown> } | { ok: false; reason: string };

export type FieldParser = (text: string) => FieldParseResult;
