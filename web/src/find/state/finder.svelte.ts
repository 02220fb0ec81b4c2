import { FetchError, fetchAllianceList, type AllianceSummary } from '../api/directory';
import { DirectoryClient } from '../search/directoryClient';
import type { SearchQuery } from '../search/directoryStore';
import { roundPosition, type LatLon } from '../search/geo';
import type { DirectorySummary, Near } from '../search/workerProtocol';
import { dayInTimeZone, dayTheServerAccepts, daysBetween } from './regionDay';
import { formatFinderLink, parseFinderLink, type FinderLink } from './finderUrl';

const DAY_MS = 86_400_000;

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
export type LocationProblem = 'denied' | 'unavailable' | 'unsupported';

const REGION_KEY = 'passerelle.region';

/** Results shown at first, and added by each "show more": enough to choose, few enough to draw at once on a phone. */
export const RESULT_PAGE = 30;
const pageKeepingKeys = new Set<string>(['service', 'view', 'lang']);

/**
 * The finder's state. The link (need, filters, place, region, language, open card) is the source of truth
 * and lives in the address bar; the rest is what was downloaded or asked of the phone.
 */
export class Finder {
  link = $state.raw<FinderLink>(parseFinderLink(window.location.search));

  alliances = $state.raw<AllianceSummary[]>([]);
  alliancesStatus = $state<LoadStatus>('idle');

  /** The region's directory as the page holds it: all but its services, which the worker holds and searches. */
  directory = $state.raw<DirectorySummary | null>(null);
  readonly client = new DirectoryClient();
  directoryStatus = $state<LoadStatus>('idle');
  /** Every search pack of the region is in: counts and the languages spoken are the region's, not a part's. */
  directoryComplete = $state(false);
  /** The directory shown is the copy saved on this phone, because there is no connection. */
  showingSavedCopy = $state(false);
  /** Offline with no saved copy of this region. */
  offlineWithoutCopy = $state(false);
  /** The service worker has saved this region's directory for offline use. */
  savedForOffline = $state(false);

  /** The phone's position, already rounded to ~100 m; never written to the link or to storage. */
  myLocation = $state.raw<LatLon | null>(null);
  locating = $state(false);
  locationProblem = $state<LocationProblem | null>(null);

  /**
   * The clock, ticking each minute so that "open now" stays true while the page is open: the phone's, which the
   * newcomer reads too, unless its date is too far off for the server to believe (see `#dayShift`).
   */
  now = $state(Date.now());

  /** Moves the clock on to the phone's time. */
  tick(): void {
    this.now = Date.now() + this.#dayShift * DAY_MS;
  }

  readonly region = $derived(this.alliances.find((alliance) => alliance.slug === this.link.region) ?? null);

  readonly origin = $derived.by((): LatLon | null => {
    const place = this.link.place;
    if (!place) return null;
    if (place.kind === 'myLocation') return this.myLocation;
    if (place.kind === 'point') return roundPosition(place);
    const town = this.directory?.places.find((candidate) => candidate.id === place.id);
    return town ? { lat: town.lat, lon: town.lon } : null;
  });

  readonly townName = $derived.by(() => {
    const place = this.link.place;
    if (place?.kind !== 'town') return null;
    return this.directory?.places.find((candidate) => candidate.id === place.id)?.name ?? null;
  });

  readonly languagesSpoken = $derived(this.directory?.languagesSpoken ?? []);

  /** The search the link, the place and the clock make, as the worker takes it (plain values only). */
  query(
    language: string,
    limit: number,
    options: { only?: readonly string[] | null; points?: boolean } = {},
  ): SearchQuery {
    const { need, openNow, free, speaks, audience } = this.link;
    return {
      criteria: { need, openNow, free, speaks, audience },
      origin: this.origin ? { lat: this.origin.lat, lon: this.origin.lon } : null,
      now: this.now,
      language,
      limit,
      only: options.only ? [...options.only] : null,
      points: options.points ?? false,
    };
  }

  /** How many results the list shows: a page at first, a page more each time the newcomer asks. */
  resultLimit = $state(RESULT_PAGE);

  showMoreResults(): void {
    this.resultLimit += RESULT_PAGE;
  }

  /** Changes the link. Opening a service card is a step the back button undoes; other changes replace. */
  update(changes: Partial<FinderLink>, options: { push?: boolean } = {}): void {
    // A new search starts again from its first page; opening a card or changing language keeps the list as it was.
    if (Object.keys(changes).some((key) => !pageKeepingKeys.has(key))) this.resultLimit = RESULT_PAGE;
    this.link = { ...this.link, ...changes };
    const url = `${window.location.pathname}${formatFinderLink(this.link)}`;
    if (options.push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }

  followHistory(): void {
    this.link = parseFinderLink(window.location.search);
  }

  chooseRegion(slug: string): void {
    if (slug === this.link.region) return;
    // A town of one region means nothing in another; the filters still make sense.
    const place = this.link.place?.kind === 'town' ? null : this.link.place;
    this.update({ region: slug, place, service: null, speaks: null });
    try {
      localStorage.setItem(REGION_KEY, slug);
    } catch {
      // Storage refused: the region is simply asked again next time.
    }
  }

  async loadAlliances(signal: AbortSignal): Promise<void> {
    this.alliancesStatus = 'loading';
    try {
      const { data } = await fetchAllianceList(signal);
      this.alliances = data;
      this.alliancesStatus = 'ready';
      if (!this.link.region || !data.some((alliance) => alliance.slug === this.link.region)) {
        const remembered = safeRead(REGION_KEY);
        const fallback = data.length === 1 ? data[0]!.slug : null;
        const region = data.some((alliance) => alliance.slug === remembered) ? remembered : fallback;
        if (region) this.update({ region });
      }
    } catch (reason) {
      if (signal.aborted) return;
      this.alliancesStatus = 'error';
      void reason;
    }
  }

  /** Where the worker should fetch first: the place chosen, never sent anywhere else. */
  #near(): Near {
    const place = this.link.place;
    if (!place) return null;
    if (place.kind === 'town') return { town: place.id };
    if (place.kind === 'point') return roundPosition(place);
    return this.myLocation ? { ...this.myLocation } : null;
  }

  /**
   * Starts loading the region the link names before the page is drawn, so that the worker, the list of parts and
   * the nearest parts come while the page starts; `loadDirectory` then takes what it brought.
   */
  preload(): void {
    if (this.link.region) void this.client.load(this.link.region, null, this.#near()).catch(() => undefined);
  }

  /** The region and day loaded, once loaded. */
  #loaded: { slug: string; day: string } | null = null;

  /**
   * Days added to the phone's clock: 0, unless its date is more than `DIRECTORY_MAX_DAYS_FROM_TODAY` days from the
   * server's today in the region, which the server would refuse. Then the finder counts the server's day at the
   * phone's time of day. A phone a few days off keeps its own day: the opening times shown are those of the day the
   * newcomer's phone says, whichever answer (the region list or the directory) comes first.
   */
  #dayShift = 0;

  /** Loads a region; `timeZone` null: its day as the server counts it, until the region list gives its zone. */
  async loadDirectory(slug: string, timeZone: string | null, signal: AbortSignal): Promise<void> {
    const day = timeZone === null ? null : dayInTimeZone(this.now, timeZone);
    const loaded = this.#loaded;
    if (loaded?.slug === slug && (day === null || loaded.day === day) && this.directoryStatus !== 'error') {
      // The region list came after the region (a slow phone): the region's news now go to this call, whose
      // signal is the live one.
      this.#listenToRegion(signal);
      return;
    }
    this.#loaded = null;
    this.directoryStatus = 'loading';
    this.directoryComplete = false;
    this.offlineWithoutCopy = false;
    this.client.listen(null);
    try {
      const { summary, fromSavedCopy } = await this.client.load(slug, day, this.#near());
      if (signal.aborted) return;
      this.#loaded = { slug, day: summary.day };
      const phoneDay = dayInTimeZone(this.now, summary.alliance.timezone);
      if (!fromSavedCopy && !dayTheServerAccepts(phoneDay, summary.day)) {
        this.#dayShift += daysBetween(phoneDay, summary.day);
        this.tick();
      }
      this.directory = summary;
      this.showingSavedCopy = fromSavedCopy;
      this.directoryStatus = 'ready';
      this.#listenToRegion(signal);
    } catch (reason) {
      if (signal.aborted) return;
      this.directory = null;
      this.directoryStatus = 'error';
      this.offlineWithoutCopy = reason instanceof FetchError && (reason.status === 0 || reason.status === 504);
    }
  }

  /** Follows the loaded region's news (every search pack in, one missing, every pack in), until `signal` ends. */
  #listenToRegion(signal: AbortSignal): void {
    this.client.listen((news) => {
      if (signal.aborted || !this.directory) return;
      if (news.kind === 'complete') {
        this.directory = { ...this.directory, languagesSpoken: news.languagesSpoken, readMs: news.readMs };
        this.directoryComplete = true;
      } else if (news.kind === 'saved') {
        this.directory = { ...this.directory, urls: news.urls };
      } else {
        this.directoryStatus = 'error';
        this.offlineWithoutCopy = news.status === 0 || news.status === 504;
      }
    });
  }

  /** Asks the phone for its position once; only the rounded position is kept. */
  locate(): void {
    if (!('geolocation' in navigator)) {
      this.locationProblem = 'unsupported';
      if (this.link.place?.kind === 'myLocation') this.update({ place: null });
      return;
    }
    this.locating = true;
    this.locationProblem = null;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        this.locating = false;
        this.myLocation = roundPosition({ lat: position.coords.latitude, lon: position.coords.longitude });
      },
      (error) => {
        this.locating = false;
        this.locationProblem = error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable';
        // Without a position, "near your location" would be a promise the list cannot keep.
        if (this.link.place?.kind === 'myLocation') this.update({ place: null });
      },
      { enableHighAccuracy: false, timeout: 20_000, maximumAge: 300_000 },
    );
  }
}

function safeRead(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
