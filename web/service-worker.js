/**
 * Passerelle's service worker: after one visit, the finder's app shell and the chosen region's directory
 * work without a connection. The build fills in PRECACHE (the finder's page and its own files) and VERSION.
 *
 * - The finder's page: network first, the saved copy when offline.
 * - Built files (`/assets/…`): saved on first use and served from the copy (their names change with content).
 * - The region list, directories (each part's search and details packs under their own addresses) and base map layers: network
 *   first (the browser revalidates with the part's ETag, so an unchanged part costs a 304); offline, the last saved
 *   copy, marked with a header so
 *   the page can say it shows saved data.
 * - The street map's tiles, TileJSON and glyphs (`/api/basemap/tiles…`, `/api/basemap/fonts/…`): network first, each
 *   saved under its own address in a cache of its own kept to BASEMAP_CACHE_ENTRIES (the oldest saved go first), so
 *   the streets a person looked at stay drawn offline without filling the phone.
 * Nothing else is touched: the workspace and the rest of the API always go to the network.
 */
const VERSION = '__VERSION__';
const PRECACHE = /* __PRECACHE__ */ [];
const SHELL_CACHE = `passerelle-shell-${VERSION}`;
const ASSET_CACHE = 'passerelle-assets';
const DATA_CACHE = 'passerelle-data';
const BASEMAP_CACHE = 'passerelle-basemap';
/** About 15 MB of tiles at most: a town and its surroundings at street zoom. */
const BASEMAP_CACHE_ENTRIES = 600;
const SAVED_COPY_HEADER = 'x-passerelle-saved-copy';
const FINDER_PAGE = '/find';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('passerelle-shell-') && key !== SHELL_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate' && (url.pathname === FINDER_PAGE || url.pathname === '/')) {
    event.respondWith(networkFirst(request, SHELL_CACHE, FINDER_PAGE, false));
  } else if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (isStreetMapFile(url.pathname)) {
    event.respondWith(networkFirst(request, BASEMAP_CACHE, url.pathname, false).then(trimmedAfter));
  } else if (isSavedData(url.pathname)) {
    // One saved copy per address without its query: the copy of another day beats no copy at all.
    event.respondWith(networkFirst(request, DATA_CACHE, url.pathname, true));
  }
});

/** The region list, the directories (whole, or the compact one's list of parts and each part's two packs) and the base map's own layers (countries, towns). */
function isSavedData(pathname) {
  return (
    pathname === '/api/alliances' ||
    /^\/api\/alliances\/[^/]+\/directory(\/parts(\/[^/]+(\/details)?)?)?$/.test(pathname) ||
    pathname.startsWith('/api/basemap/')
  );
}

/** The street map's tiles and glyphs: many small files, each worth keeping apart. */
function isStreetMapFile(pathname) {
  return pathname.startsWith('/api/basemap/tiles') || pathname.startsWith('/api/basemap/fonts/');
}

/** Keeps the street map's cache to its budget once an answer is given; Cache keys come back oldest first. */
function trimmedAfter(response) {
  caches
    .open(BASEMAP_CACHE)
    .then((cache) =>
      cache.keys().then((keys) => Promise.all(keys.slice(0, -BASEMAP_CACHE_ENTRIES).map((key) => cache.delete(key)))),
    );
  return response;
}

async function cacheFirst(request) {
  const saved = await caches.match(request, { ignoreSearch: true });
  if (saved) return saved;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(ASSET_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

async function networkFirst(request, cacheName, key, markSavedCopy) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const saved = await cache.match(key);
    if (!saved) {
      if (request.mode === 'navigate') throw error;
      return new Response(JSON.stringify({ statusCode: 504, error: 'Offline', message: 'No saved copy.' }), {
        status: 504,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (!markSavedCopy) return saved;
    const headers = new Headers(saved.headers);
    headers.set(SAVED_COPY_HEADER, '1');
    return new Response(saved.body, { status: saved.status, statusText: saved.statusText, headers });
  }
}
