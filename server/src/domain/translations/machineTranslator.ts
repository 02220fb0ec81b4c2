import { type CodedMessage, said, UserError } from '../messages/userError.js';

/** How the operator's machine-translation service (LibreTranslate or one that answers as it does) is reached. */
export interface TranslatorSettings {
  /** `TRANSLATOR_URL`: the service's address, without `/translate`. */
  url: string;
  /** `TRANSLATOR_API_KEY`, sent as LibreTranslate's `api_key` when set. */
  apiKey?: string;
  /** How long to wait for an answer, in milliseconds. */
  timeoutMs?: number;
}

/** Why the service gave no translation; the message is a sentence for the editor, never holding the texts. */
export class TranslatorFailure extends UserError {
  constructor(message: CodedMessage) {
    super(502, message);
    this.name = 'TranslatorFailure';
  }
}

/** A whole record's texts are a few kilobytes; far more is not a translation of them. */
const MAX_ANSWER_BYTES = 1_000_000;

const isTimeout = (error: unknown) =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

/**
 * Translates `texts` from `source` to `target` in one request to LibreTranslate's `POST /translate`
 * (`{ q: string[], source, target, format: 'text', api_key }` → `{ translatedText: string[] }`), answering the
 * translations in the same order. Throws a {@link TranslatorFailure} when the service cannot be reached in time,
 * refuses, or answers something else.
 */
export async function machineTranslate(
  settings: TranslatorSettings,
  texts: readonly string[],
  source: string,
  target: string,
): Promise<string[]> {
  if (texts.length === 0) return [];
  let response: Response;
  let body: string;
  try {
    response = await fetch(`${settings.url}/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        q: texts,
        source,
        target,
        format: 'text',
        ...(settings.apiKey ? { api_key: settings.apiKey } : {}),
      }),
      signal: AbortSignal.timeout(settings.timeoutMs ?? 20_000),
    });
    body = await response.text();
  } catch (error) {
    throw new TranslatorFailure(isTimeout(error) ? said('translator.timeout') : said('translator.unreachable'));
  }
  if (body.length > MAX_ANSWER_BYTES) throw new TranslatorFailure(said('translator.answer-too-large'));
  let answer: { translatedText?: unknown; error?: unknown } | undefined;
  try {
    answer = JSON.parse(body) as { translatedText?: unknown; error?: unknown };
  } catch {
    // Described below with the status.
  }
  if (!response.ok) {
    const status = response.status;
    throw new TranslatorFailure(
      typeof answer?.error === 'string'
        ? said('translator.refused-saying', { status, reason: answer.error.slice(0, 200) })
        : said('translator.refused', { status }),
    );
  }
  const translated = answer?.translatedText;
  const list = typeof translated === 'string' && texts.length === 1 ? [translated] : translated;
  if (!Array.isArray(list) || list.length !== texts.length || !list.every((text) => typeof text === 'string')) {
    throw new TranslatorFailure(said('translator.not-translations'));
  }
  return list as string[];
}
