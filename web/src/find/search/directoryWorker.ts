/// <reference lib="webworker" />
/**
 * The finder's Web Worker: downloads the region's compact directory (the list of parts, then every part's search
 * pack, nearest first, then every part's details pack), holds its services and answers searches, so that neither
 * reading thousands of services nor ranking them ever blocks the page. The page sends the place and the need here,
 * never to the network: the requests name the region and its large cells only, all of them, whatever the place;
 * only their order follows the place's cell (see web/src/find/README.md, "Privacy").
 */
import {
  cellDegrees,
  type CompactIndex,
  compactFormat,
  decodeSearchPack,
  type DetailsPack,
  parseSearchId,
  type SearchPack,
  type SearchService,
  withDetails,
} from '#contract/directory/compactDirectory.js';
import type { DirectoryService } from '../api/directory';
import { directoryPaths, SAVED_COPY_HEADER } from '../api/directory';
import { DirectoryStore, type SearchQuery } from './directoryStore';
import { distanceMeters, distanceToBox, type LatLon } from './geo';
import { openingStatus } from './openingStatus';
import { dayInTimeZone } from '../state/regionDay';
import type { Near, WorkerReply, WorkerRequest } from './workerProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** Search packs fetched at once: few, so that the nearest come first; enough to keep the connection busy. */
const SEARCH_FETCHES = 3;
/** Details packs fetched at once, in the background once every search pack is in. */
const DETAILS_FETCHES = 2;

class HttpProblem extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

interface Handed {
  status: number;
  text: string;
  etag: string | null;
  saved: boolean;
}

/** Answers the page fetched for the worker while its script was on its way, by path, each taken once. */
const handed = new Map<string, { answer: Promise<Handed>; resolve: (answer: Handed) => void }>();

function expectHanded(path: string): void {
  let resolve!: (answer: Handed) => void;
  const answer = new Promise<Handed>((done) => (resolve = done));
  handed.set(path, { answer, resolve });
}

async function getJson<T>(url: string): Promise<{ data: T; saved: boolean; etag: string | null }> {
  const path = url.split('?')[0]!;
  const given = handed.get(path);
  if (given) {
    const { status, text, etag, saved } = await given.answer;
    // Taken once: a later fetch of the same address (the cell changed) goes to the network.
    if (handed.get(path) === given) handed.delete(path);
    if (status < 200 || status >= 300) throw new HttpProblem(status);
    return { data: JSON.parse(text) as T, saved, etag };
  }
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new HttpProblem(0);
  }
  if (!response.ok) throw new HttpProblem(response.status);
  return {
    data: (await response.json()) as T,
    saved: response.headers.has(SAVED_COPY_HEADER),
    etag: response.headers.get('etag'),
  };
}

const reply = (message: WorkerReply) => self.postMessage(message);

/** The cell's south-west corner and side, for distances to it. */
function cellDistance(origin: LatLon, cell: string): number {
  const [row, column] = cell.split('_').map(Number) as [number, number];
  const south = row * cellDegrees;
  const west = column * cellDegrees;
  return distanceToBox(origin, south, west, south + cellDegrees, west + cellDegrees);
}

/** One region being loaded or loaded: its index, its store, its packs, the searches waiting for parts. */
class Region {
  readonly store: DirectoryStore;
  /** Where the newcomer is, as far as the worker knows: the nearest cells are fetched first. */
  focus: LatLon | null;
  /** The ETag of each search pack held, which its details pack must name. */
  readonly #searchEtags = new Map<string, string>();
  readonly #details = new Map<string, Promise<DetailsPack | null>>();
  /** Full services by their own id, once their details are in. */
  readonly #full = new Map<string, DirectoryService>();
  readonly #waiting: Array<{ id: number; query: SearchQuery }> = [];
  readonly #searchesIn: Promise<void>;
  #failed: HttpProblem | null = null;
  readonly #query: string;
  closed = false;

  constructor(
    readonly slug: string,
    readonly index: CompactIndex,
    readonly day: string,
    focus: LatLon | null,
  ) {
    this.#query = `?from=${encodeURIComponent(day)}`;
    this.focus = focus;
    this.store = new DirectoryStore(
      { openFrom: index.openFrom, openUntil: index.openUntil },
      index.parts.map((part) => part.id),
    );
    for (const part of index.parts) this.#searchEtags.set(part.id, part.etag);
    this.#searchesIn = this.#fetchSearchPacks();
  }

  searchUrl(cell: string): string {
    return `${directoryPaths.part(this.slug, cell)}${this.#query}`;
  }

  detailsUrl(cell: string): string {
    return `${directoryPaths.partDetails(this.slug, cell)}${this.#query}`;
  }

  /** The index, every search pack and every details pack: what the service worker keeps for offline use. */
  urls(): string[] {
    return [
      `${directoryPaths.parts(this.slug)}${this.#query}`,
      ...this.index.parts.flatMap(({ id }) => [this.searchUrl(id), this.detailsUrl(id)]),
    ];
  }

  /** The next cell to fetch among `cells`: the nearest to the focus, else the index's order. */
  #takeNext(cells: string[]): string | undefined {
    if (cells.length === 0) return undefined;
    let best = 0;
    const focus = this.focus;
    if (focus) {
      let bestDistance = Infinity;
      cells.forEach((cell, index) => {
        const distance = cellDistance(focus, cell);
        if (distance < bestDistance) [best, bestDistance] = [index, distance];
      });
    }
    return cells.splice(best, 1)[0];
  }

  async #fetchSearchPacks(): Promise<void> {
    const queue = this.index.parts.map((part) => part.id);
    const fetcher = async () => {
      for (let cell = this.#takeNext(queue); cell !== undefined && !this.closed; cell = this.#takeNext(queue)) {
        const { data, etag } = await getJson<SearchPack>(this.searchUrl(cell));
        if (this.closed) return;
        if (etag) this.#searchEtags.set(cell, etag);
        const started = performance.now();
        this.store.addCell(cell, decodeSearchPack(data));
        this.readMs += performance.now() - started;
        this.answerWaiting();
      }
    };
    try {
      await Promise.all(Array.from({ length: SEARCH_FETCHES }, fetcher));
    } catch (error) {
      this.#failed = error instanceof HttpProblem ? error : new HttpProblem(0);
      this.answerWaiting();
      throw this.#failed;
    }
  }

  readMs = 0;

  /** Resolves once every search pack is in; throws when one could not be fetched. */
  searchesIn(): Promise<void> {
    return this.#searchesIn;
  }

  /** Answers a search now if its answer is final, else once enough parts are in. */
  search(id: number, query: SearchQuery): void {
    if (query.origin && !this.store.complete) this.focus = query.origin;
    this.#waiting.push({ id, query });
    this.answerWaiting();
  }

  answerWaiting(): void {
    for (let index = 0; index < this.#waiting.length;) {
      const { id, query } = this.#waiting[index]!;
      const started = performance.now();
      const answer =
        this.store.search(query) ??
        (this.#failed ? { total: this.store.size, complete: false, matches: [], points: null } : null);
      if (answer) {
        this.#waiting.splice(index, 1);
        reply({ id, kind: 'answer', answer, tookMs: performance.now() - started });
      } else {
        index += 1;
      }
    }
  }

  /** A cell's details pack, fetched once; null when it could not be had or no longer goes with the search pack. */
  details(cell: string): Promise<DetailsPack | null> {
    let pending = this.#details.get(cell);
    if (!pending) {
      pending = this.#fetchDetails(cell);
      this.#details.set(cell, pending);
    }
    return pending;
  }

  async #fetchDetails(cell: string): Promise<DetailsPack | null> {
    try {
      const { data } = await getJson<DetailsPack>(this.detailsUrl(cell));
      if (data.searchEtag !== this.#searchEtags.get(cell)) {
        // The cell changed between the two: its search pack again, which the details now go with.
        const { data: search, etag } = await getJson<SearchPack>(this.searchUrl(cell));
        if (etag !== data.searchEtag) return null;
        this.#searchEtags.set(cell, etag);
        this.store.addCell(cell, decodeSearchPack(search));
      }
      this.#cellServices(cell).forEach((service, position) => {
        const full = withDetails(service, data, position);
        this.#full.set(full.id, full);
      });
      return data;
    } catch {
      this.#details.delete(cell);
      return null;
    }
  }

  #cellServices(cell: string): readonly SearchService[] {
    return this.store.cellServices(cell);
  }

  /** Every details pack, nearest first, a few at a time: for cards opened offline later. */
  async fetchAllDetails(): Promise<boolean> {
    const queue = this.index.parts.map((part) => part.id);
    let complete = true;
    const fetcher = async () => {
      for (let cell = this.#takeNext(queue); cell !== undefined && !this.closed; cell = this.#takeNext(queue)) {
        if (!(await this.details(cell))) complete = false;
      }
    };
    await Promise.all(Array.from({ length: DETAILS_FETCHES }, fetcher));
    return complete && !this.closed;
  }

  /** One whole service, by its short id (a result) or its own (a link), with its details fetched if need be. */
  async service(id: string, origin: LatLon | null, now: number) {
    let full = this.#full.get(id);
    const short = parseSearchId(id);
    if (!full && short) {
      const pack = await this.details(short.cell);
      const service = this.#cellServices(short.cell)[short.position];
      if (pack && service) full = withDetails(service, pack, short.position);
    }
    if (!full && !short) {
      // A link names a service by its own id, which only the details give: the rest of them, nearest first.
      await this.searchesIn().catch(() => undefined);
      await this.fetchAllDetails();
      full = this.#full.get(id);
    }
    if (!full) return null;
    return {
      service: full,
      distance: origin ? distanceMeters(origin, full) : null,
      status: openingStatus(full, this.store.period, now),
    };
  }

  close(): void {
    this.closed = true;
  }
}

let region: Region | null = null;
/** The load in progress; a search waits for its index. */
let loading: Promise<Region | null> = Promise.resolve(null);
/** Counts loads: a region asked for later wins over one still arriving. */
let generation = 0;

/** The place the newcomer chose, as a point, once the index gives the towns. */
function resolveNear(near: Near, index: CompactIndex): LatLon | null {
  if (!near) return null;
  if ('town' in near) {
    const town = index.places.find((place) => place.id === near.town);
    return town ? { lat: town.lat, lon: town.lon } : null;
  }
  return near;
}

async function load(request: Extract<WorkerRequest, { kind: 'load' }>): Promise<Region | null> {
  const mine = (generation += 1);
  region?.close();
  region = null;
  handed.clear();
  for (const path of request.handed) expectHanded(path);
  const query = request.day === null ? '' : `?from=${encodeURIComponent(request.day)}`;
  let index: CompactIndex;
  let saved: boolean;
  try {
    ({ data: index, saved } = await getJson<CompactIndex>(`${directoryPaths.parts(request.slug)}${query}`));
    if (index.format !== compactFormat) throw new HttpProblem(0);
  } catch (error) {
    if (mine === generation) {
      reply({
        id: request.id,
        kind: 'failed',
        status: error instanceof HttpProblem ? error.status : 0,
        message: String(error),
      });
    }
    return null;
  }
  if (mine !== generation) return null;
  // Without a day asked, the index's: the day its opening times start, in the region.
  const day = request.day ?? dayInTimeZone(Date.parse(index.openFrom), index.alliance.timezone);
  const loaded = new Region(request.slug, index, day, resolveNear(request.near, index));
  region = loaded;
  const { parts, format: _format, cellDegrees: _cellDegrees, ...rest } = index;
  reply({
    id: request.id,
    kind: 'loaded',
    summary: {
      ...rest,
      serviceCount: parts.reduce((sum, part) => sum + part.services, 0),
      languagesSpoken: [],
      urls: [],
      readMs: 0,
      day,
    },
    fromSavedCopy: saved,
  });
  void loaded.searchesIn().then(
    async () => {
      if (loaded.closed) return;
      reply({
        id: 0,
        kind: 'complete',
        languagesSpoken: loaded.store.languagesSpoken(),
        readMs: loaded.readMs,
      });
      if (await loaded.fetchAllDetails()) reply({ id: 0, kind: 'saved', urls: loaded.urls() });
    },
    (error: unknown) => {
      if (!loaded.closed) {
        reply({ id: 0, kind: 'incomplete', status: error instanceof HttpProblem ? error.status : 0 });
      }
    },
  );
  return loaded;
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.kind === 'load') {
    loading = load(request);
    return;
  }
  if (request.kind === 'handed') {
    handed.get(request.path)?.resolve(request);
    return;
  }
  void loading.then(async (current) => {
    if (request.kind === 'search') {
      if (current) current.search(request.id, request.query);
      else reply({ id: request.id, kind: 'answer', answer: noAnswer, tookMs: 0 });
    } else {
      reply({
        id: request.id,
        kind: 'service',
        match: current ? await current.service(request.serviceId, request.origin, request.now) : null,
      });
    }
  });
});

const noAnswer = { total: 0, complete: true, matches: [], points: null };
