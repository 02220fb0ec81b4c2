import type { ApiErrorBody, ImportProblem } from './types';

/** An API call that failed, either with an HTTP error from the server or without reaching it at all. */
export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The server's stable code for what went wrong (`validation.required`, `not-found`…), for the reader's language. */
  readonly code: string;
  /** The values the code's sentence needs (a field, a limit…). */
  readonly params: Record<string, string | number>;
  /** Row-level problems, when the server refused an import. */
  readonly problems: ImportProblem[];

  constructor(
    status: number,
    message: string,
    details: { code?: string; params?: Record<string, string | number>; problems?: ImportProblem[] } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = details.code ?? (status === 0 ? 'unreachable' : 'error');
    this.params = details.params ?? {};
    this.problems = details.problems ?? [];
  }
}

/** Where the CSRF token of the signed-in session comes from; the session registers itself at start. */
let csrfTokenSource: () => string | null = () => null;

export function sendCsrfTokenFrom(source: () => string | null): void {
  csrfTokenSource = source;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON value, or a FormData / File for uploads (sent as they are). */
  body?: unknown;
  signal?: AbortSignal;
  /** Headers of a route's own, e.g. the self-service page's token (`self-service/`). */
  headers?: Record<string, string>;
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ApiErrorBody).message === 'string';
}

/**
 * The one way the pages call the API. The session cookie goes along by itself; every change (any method but GET)
 * carries the CSRF token the same way (docs/workspace-api.md). A JSON body is sent as JSON, a FormData or a file as
 * it is. A 204 answers undefined. Failures come as an ApiError with the server's code, parameters and English
 * message; `errorText` (api/errorText.ts) says it in the reader's language.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || options.body instanceof Blob) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET') {
    const token = csrfTokenSource();
    if (token) headers['x-csrf-token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'The server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const answer: unknown = await response.json().catch(() => null);
  // Cancelled while the body was read: the caller's abort, never an empty answer it would take for the data.
  if (options.signal?.aborted) throw options.signal.reason;
  if (response.ok) return answer as T;
  if (!isApiErrorBody(answer)) throw new ApiError(response.status, response.statusText);
  throw new ApiError(response.status, answer.message, answer);
}
