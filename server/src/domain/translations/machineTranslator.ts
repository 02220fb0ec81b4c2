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
export class TranslatorFailure extends Error {
  constructor(message: string) {
    super(message);
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
    throw new TranslatorFailure(
      isTimeout(error)
        ? 'The machine-translation service did not answer in time. Try again later.'
        : 'The machine-translation service cannot be reached right now. Try again later.',
    );
  }
  if (body.length > MAX_ANSWER_BYTES) throw new TranslatorFailure('The machine-translation service answered too much.');
  let answer: { translatedText?: unknown; error?: unknown } | undefined;
  try {
    answer = JSON.parse(body) as { translatedText?: unknown; error?: unknown };
  } catch {
    // Described below with the status.
  }
  if (!response.ok) {
    const why = typeof answer?.error === 'string' ? `: "${answer.error.slice(0, 200)}"` : '';
    throw new TranslatorFailure(`The machine-translation service refused the texts (HTTP ${response.status})${why}.`);
  }
  const translated = answer?.translatedText;
  const list = typeof translated === 'string' && texts.length === 1 ? [translated] : translated;
  if (!Array.isArray(list) || list.length !== texts.length || !list.every((text) => typeof text === 'string')) {
    throw new TranslatorFailure('The machine-translation service answered something other than the translations.');
  }
  return list as string[];
}
