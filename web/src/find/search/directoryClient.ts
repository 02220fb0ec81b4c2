import { cellOf } from '#contract/directory/compactDirectory.js';
import { dayTheServerAccepts } from '../state/regionDay';
import { directoryPaths, FetchError, SAVED_COPY_HEADER } from '../api/directory';
import type { LatLon } from './geo';
import type { ServiceMatch } from './matchServices';
import type { SearchAnswer, SearchQuery } from './directoryStore';
import type { DirectorySummary, Near, WorkerReply, WorkerRequest } from './workerProtocol';

/**
 * Records the worker's own time in the page's performance timeline (User Timing), where a profiler or the
 * finder's benchmark reads it: the worker's thread is not the page's, and tools that slow the page do not slow it.
 */
function timing(name: string, durationMs: number): void {
  try {
    performance.measure(name, { start: performance.now() - durationMs, duration: durationMs });
  } catch {
    // An old browser without User Timing 3: nothing to record.
  }
}

type Pending = (reply: WorkerReply) => void;

/** What the worker says unasked about the region loading: every search pack in, one missing, every pack in. */
export type RegionNews = Extract<WorkerReply, { kind: 'complete' | 'incomplete' | 'saved' }>;

/** A region's index loaded into the worker. */
interface Loaded {
  summary: DirectorySummary;
  fromSavedCopy: boolean;
}

/** Only the message types a request may be answered with, without the id. */
type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The page's side of the finder's Web Worker (`directoryWorker.ts`): loads a region there and asks it for
 * results. The worker starts with the first request; the page's own code stays small.
 */
export class DirectoryClient {
  #worker: Worker | null = null;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  /** The last region asked for, so that asking again for the same region and day does not load it twice. */
  #current: { slug: string; day: string | null; loaded: Promise<Loaded> } | null = null;
  /** What the worker has said unasked (id 0) about the region it holds now. */
  #news: RegionNews[] = [];
  #listener: ((news: RegionNews) => void) | null = null;

  /**
   * Tells `listener` what the worker says unasked about the region it holds, starting with what it has said already:
   * a region loaded before the page listens (the early load, a slow page) still says it is complete. Null: no one.
   */
  listen(listener: ((news: RegionNews) => void) | null): void {
    this.#listener = listener;
    if (listener) for (const news of this.#news) listener(news);
  }

  #ask(request: Without<WorkerRequest>): Promise<WorkerReply> {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./directoryWorker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
        const data = event.data;
        if (data.kind === 'complete' || data.kind === 'incomplete' || data.kind === 'saved') {
          if (data.kind === 'complete') timing('passerelle:worker-read', data.readMs);
          this.#news.push(data);
          this.#listener?.(data);
          return;
        }
        const pending = this.#pending.get(event.data.id);
        this.#pending.delete(event.data.id);
        pending?.(event.data);
      });
    }
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker!.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  /**
   * Starts downloading a region's directory into the worker, the parts nearest `near` first, and gives its index
   * (the region, its towns) once it is in; `listen` says when the rest is. Throws a FetchError (status 0: offline)
   * when the index cannot be had.
   */
  async load(slug: string, day: string | null, near: Near): Promise<Loaded> {
    const current = this.#current;
    if (current?.slug === slug) {
      if (day === null || current.day === day) return current.loaded;
      // Started before the page knew the region's day: the same if the server's today is the page's, and the
      // server's when the page's is further off than the server accepts.
      if (current.day === null) {
        const loaded = await current.loaded.catch(() => null);
        if (loaded && (loaded.summary.day === day || !dayTheServerAccepts(day, loaded.summary.day))) return loaded;
      }
    }
    const loaded = this.#load(slug, day, near);
    this.#current = { slug, day, loaded };
    loaded.catch(() => {
      if (this.#current?.loaded === loaded) this.#current = null;
    });
    return loaded;
  }

  async #load(slug: string, day: string | null, near: Near): Promise<Loaded> {
    // While the worker's script downloads, the page fetches the list of parts and, for a point, its cell's search
    // pack (the one the worker asks for first anyway), and hands them over: a round trip less before results.
    const handed =
      day === null
        ? [
            directoryPaths.parts(slug),
            ...(near && 'lat' in near ? [directoryPaths.part(slug, cellOf(near.lat, near.lon))] : []),
          ]
        : [];
    // The worker leaves the region it held: what it said of that one no longer counts.
    this.#news = [];
    const asked = this.#ask({ kind: 'load', slug, day, near, handed });
    for (const path of handed) void this.#hand(path);
    const reply = await asked;
    if (reply.kind === 'failed') throw new FetchError(reply.status, reply.message);
    if (reply.kind !== 'loaded') throw new FetchError(0, 'unexpected reply');
    return { summary: reply.summary, fromSavedCopy: reply.fromSavedCopy };
  }

  async #hand(path: string): Promise<void> {
    let answer: Omit<Extract<WorkerRequest, { kind: 'handed' }>, 'id' | 'kind' | 'path'>;
    try {
      const response = await fetch(path, { headers: { accept: 'application/json' } });
      answer = {
        status: response.status,
        text: response.ok ? await response.text() : '',
        etag: response.headers.get('etag'),
        saved: response.headers.has(SAVED_COPY_HEADER),
      };
    } catch {
      answer = { status: 0, text: '', etag: null, saved: false };
    }
    this.#worker?.postMessage({ id: 0, kind: 'handed', path, ...answer } satisfies WorkerRequest);
  }

  async search(query: SearchQuery): Promise<SearchAnswer> {
    const reply = await this.#ask({ kind: 'search', query });
    if (reply.kind !== 'answer') return { total: 0, complete: true, matches: [], points: null };
    timing('passerelle:worker-search', reply.tookMs);
    return reply.answer;
  }

  async service(serviceId: string, origin: LatLon | null, now: number): Promise<ServiceMatch | null> {
    const reply = await this.#ask({ kind: 'service', serviceId, origin, now });
    return reply.kind === 'service' ? reply.match : null;
  }
}
