import { FetchError } from '../api/directory';
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
  /** Told what the worker says unasked (id 0). */
  onnews: (news: RegionNews) => void = () => {};

  #ask(request: Without<WorkerRequest>): Promise<WorkerReply> {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./directoryWorker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
        const data = event.data;
        if (data.kind === 'complete' || data.kind === 'incomplete' || data.kind === 'saved') {
          if (data.kind === 'complete') timing('passerelle:worker-read', data.readMs);
          this.onnews(data);
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
   * (the region, its towns) once it is in; `onnews` says when the rest is. Throws a FetchError (status 0: offline)
   * when the index cannot be had.
   */
  async load(slug: string, day: string, near: Near): Promise<{ summary: DirectorySummary; fromSavedCopy: boolean }> {
    const reply = await this.#ask({ kind: 'load', slug, day, near });
    if (reply.kind === 'failed') throw new FetchError(reply.status, reply.message);
    if (reply.kind !== 'loaded') throw new FetchError(0, 'unexpected reply');
    return { summary: reply.summary, fromSavedCopy: reply.fromSavedCopy };
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
