/** Where in a query the server found a syntax error (1-based line and column), when it says so. */
export interface ErrorPosition {
  line: number;
  column: number;
}

/**
 * Every failed API call becomes an ApiError: the server's `{"error":{"code","message"}}` body when there
 * is one, `network_error` when the server could not be reached at all.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly position: ErrorPosition | null;

  constructor(status: number, code: string, message: string, position: ErrorPosition | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.position = position;
  }

  /** True when the route does not exist on this server (yet): pages show "not available" instead of an error. */
  get isMissingEndpoint(): boolean {
    return this.status === 404 && this.code === 'not_found';
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** Builds the ApiError for a non-2xx response from its body text (JSON error body, Loki's plain text, or nothing). */
export function apiErrorFromBody(status: number, text: string): ApiError {
  let code = status >= 500 ? 'internal' : 'invalid_request';
  let message = text.trim() || `HTTP ${status}`;
  let position: ErrorPosition | null = null;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const err = body.error;
    if (typeof err === 'object' && err !== null) {
      const e = err as { code?: unknown; message?: unknown; position?: unknown; line?: unknown; column?: unknown };
      if (typeof e.code === 'string') code = e.code;
      if (typeof e.message === 'string') message = e.message;
      position = positionOf(e.position) ?? positionOf({ line: e.line, column: e.column });
    } else if (typeof err === 'string') {
      // Loki's own shape: {"status":"error","errorType":"bad_data","error":"parse error at line 1, col 5: ..."}
      message = err;
    } else if (typeof body.message === 'string') {
      message = body.message;
    }
  } catch {
    // Not JSON: keep the text (Loki answers some errors as plain text).
  }
  if (message.length > 2000) message = message.slice(0, 2000) + '…';
  return new ApiError(status, code, message, position ?? positionInMessage(message));
}

function positionOf(raw: unknown): ErrorPosition | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as { line?: unknown; column?: unknown; col?: unknown };
  const line = Number(p.line);
  const column = Number(p.column ?? p.col);
  return Number.isInteger(line) && Number.isInteger(column) && line >= 1 && column >= 1 ? { line, column } : null;
}

/** LogQL parsers (Loki's and ours) put the position in the text: "parse error at line 1, col 12: ...". */
export function positionInMessage(message: string): ErrorPosition | null {
  const match = /line (\d+), col(?:umn)? (\d+)/i.exec(message);
  if (match) return positionOf({ line: match[1], column: match[2] });
  const offset = /at (?:position|offset|char(?:acter)?) (\d+)/i.exec(message);
  return offset ? positionOf({ line: 1, column: Number(offset[1]) + 1 }) : null;
}
