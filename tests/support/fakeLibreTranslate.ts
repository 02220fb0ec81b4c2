import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake service was sent: LibreTranslate's `/translate` body. */
export interface LibreTranslateRequest {
  q: string | string[];
  source: string;
  target: string;
  format?: string;
  api_key?: string;
}

/**
 * Sentences the fake translates as a person would, so that pages show real French; any other text comes back
 * as `[target] text`.
 */
const knownTranslations: Record<string, Record<string, string>> = {
  fr: {
    'Housing advice.': 'Conseils pour le logement.',
    '20 euros for the season.': '20 euros pour la saison.',
    'Free of charge.': 'Gratuit.',
    'Free.': 'Gratuit.',
  },
};

export interface FakeLibreTranslate {
  /** TRANSLATOR_URL for the application. */
  url: string;
  /** Every request the service was sent, in order. */
  requests: LibreTranslateRequest[];
  /** Answers every later request with this status and body instead of translating. */
  failWith(status: number, body: string): void;
  close(): Promise<void>;
}

/**
 * A small LibreTranslate on a free loopback port that keeps to its API's contract (`POST /translate` with JSON
 * `{ q, source, target, format, api_key }`; `{ translatedText }`, a list when `q` is one; `{ error }` with 400 or
 * 403), so that tests send real HTTP and need no network.
 */
export async function startFakeLibreTranslate(options: { apiKey?: string } = {}): Promise<FakeLibreTranslate> {
  const requests: LibreTranslateRequest[] = [];
  let failure: { status: number; body: string } | undefined;
  const answer = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/translate')
        return answer(response, 404, { error: 'Not Found' });
      let body: LibreTranslateRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LibreTranslateRequest;
      } catch {
        return answer(response, 400, { error: 'Invalid request: the body is not JSON' });
      }
      requests.push(body);
      if (failure) return answer(response, failure.status, failure.body);
      if (options.apiKey && body.api_key !== options.apiKey) {
        return answer(response, 403, { error: 'Invalid API key' });
      }
      for (const parameter of ['q', 'source', 'target'] as const) {
        if (!body[parameter])
          return answer(response, 400, { error: `Invalid request: missing ${parameter} parameter` });
      }
      const translate = (text: string) => knownTranslations[body.target]?.[text] ?? `[${body.target}] ${text}`;
      const translatedText = Array.isArray(body.q) ? body.q.map(translate) : translate(body.q);
      return answer(response, 200, { translatedText });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failWith(status, body) {
      failure = { status, body };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
