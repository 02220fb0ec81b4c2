/// <reference lib="webworker" />
/**
 * The finder's Web Worker: downloads the region's compact directory (the list of parts, then every part), holds
 * its services and answers searches, so that neither reading thousands of services nor ranking them ever blocks
 * the page. The page sends the place and the need here, never to the network: the requests name the region and
 * its large cells only, all of them, whatever the place.
 */
import {
  type CompactIndex,
  type CompactPart,
  compactFormat,
  decodePart,
} from '#contract/directory/compactDirectory.js';
import { directoryPaths, SAVED_COPY_HEADER } from '../api/directory';
import { DirectoryStore } from './directoryStore';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

declare const self: DedicatedWorkerGlobalScope;

let store: DirectoryStore | null = null;
/** The load in progress; a search waits for it. */
let loading: Promise<unknown> = Promise.resolve();
/** Counts loads: a region asked for later wins over one still arriving. */
let generation = 0;

class HttpProblem extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function getJson<T>(url: string): Promise<{ data: T; saved: boolean }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new HttpProblem(0);
  }
  if (!response.ok) throw new HttpProblem(response.status);
  return { data: (await response.json()) as T, saved: response.headers.has(SAVED_COPY_HEADER) };
}

async function load(slug: string, day: string): Promise<WorkerReply & { id: 0 }> {
  const mine = (generation += 1);
  const query = `?from=${encodeURIComponent(day)}`;
  const indexUrl = `${directoryPaths.parts(slug)}${query}`;
  const { data: index, saved } = await getJson<CompactIndex>(indexUrl);
  if (index.format !== compactFormat) throw new HttpProblem(0);
  const next = new DirectoryStore({ openFrom: index.openFrom, openUntil: index.openUntil });
  const partUrls = index.parts.map(({ id }) => `${directoryPaths.part(slug, id)}${query}`);
  let readMs = 0;
  // Every part of the region, in the index's order: what is fetched never depends on the place chosen.
  await Promise.all(
    partUrls.map(async (url) => {
      const { data } = await getJson<CompactPart>(url);
      const started = performance.now();
      next.add(decodePart(data));
      readMs += performance.now() - started;
    }),
  );
  if (mine !== generation) throw new HttpProblem(0);
  store = next;
  const { parts: _parts, format: _format, cellDegrees: _cellDegrees, ...rest } = index;
  return {
    id: 0,
    kind: 'loaded',
    summary: {
      ...rest,
      serviceCount: next.size,
      languagesSpoken: next.languagesSpoken(),
      urls: [indexUrl, ...partUrls],
      readMs,
    },
    fromSavedCopy: saved,
  };
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const reply = (message: WorkerReply) => self.postMessage(message);
  if (request.kind === 'load') {
    store = null;
    const loaded = load(request.slug, request.day).then(
      (answer) => reply({ ...answer, id: request.id }),
      (error: unknown) =>
        reply({
          id: request.id,
          kind: 'failed',
          status: error instanceof HttpProblem ? error.status : 0,
          message: String(error),
        }),
    );
    loading = loaded;
    return;
  }
  void loading.then(() => {
    if (request.kind === 'search') {
      const started = performance.now();
      const answer = store ? store.search(request.query) : { total: 0, matches: [], points: null };
      reply({ id: request.id, kind: 'answer', answer, tookMs: performance.now() - started });
    } else {
      reply({
        id: request.id,
        kind: 'service',
        match: store?.service(request.serviceId, request.origin, request.now) ?? null,
      });
    }
  });
});
