import { type ErrorCode, errorMessages } from './errorMessages.js';

/** A message's parameters: numbers stay raw, so that the reader's locale formats them. */
export type MessageParams = Record<string, string | number>;

/**
 * What the server says to a person, as a stable code with parameters (which a page renders in its reader's
 * language) and the English sentence built from the code's template (for scripts and logs).
 */
export interface CodedMessage {
  code: string;
  params: MessageParams;
  message: string;
}

/** The names inside `{…}` in a template (without a `:number` format), as a union of string literals. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? (Name extends `${infer Bare}:${string}` ? Bare : Name) | Placeholders<Rest>
  : never;

/** The parameters of a code: at least each its English template names; more for pages that need them. */
export type ParamsOf<C extends ErrorCode> = [Placeholders<(typeof errorMessages)[C]>] extends [never]
  ? [] | [params: MessageParams]
  : [params: Record<Placeholders<(typeof errorMessages)[C]>, string | number> & MessageParams];

/**
 * Puts each `{name}` of a template in its place, `{name:number}` as an English number with thousands separators;
 * a name without a value stays as written.
 */
export function fillTemplate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)(:number)?\}/g, (whole, name: string, asNumber?: string) => {
    if (!(name in params)) return whole;
    const value = params[name]!;
    return asNumber && typeof value === 'number' ? value.toLocaleString('en') : String(value);
  });
}

/** The coded message for `code`, its English sentence filled from the template in errorMessages.ts. */
export function said<C extends ErrorCode>(code: C, ...[params]: ParamsOf<C>): CodedMessage {
  const values: MessageParams = params ?? {};
  return { code, params: values, message: fillTemplate(errorMessages[code], values) };
}

/**
 * An error a person caused, answered with `statusCode` and a body carrying the code, its parameters and the
 * English sentence (plugins/errors.ts). Thrown by domain code and routes alike.
 */
export class UserError extends Error {
  readonly code: string;
  readonly params: MessageParams;

  constructor(
    readonly statusCode: number,
    message: CodedMessage,
  ) {
    super(message.message);
    this.name = 'UserError';
    this.code = message.code;
    this.params = message.params;
  }
}

/**
 * A thrown value's coded message when it carries one (a UserError or a domain error with a code); another error
 * (one of the framework's own 4xx) is `request.refused` with its English sentence as the reason.
 */
export function codedFrom(error: Error): CodedMessage {
  const { code, params } = error as { code?: unknown; params?: unknown };
  return typeof code === 'string' && /^[a-z][a-z0-9.-]*$/.test(code) && params && typeof params === 'object'
    ? { code, params: params as MessageParams, message: error.message }
    : said('request.refused', { reason: error.message });
}
