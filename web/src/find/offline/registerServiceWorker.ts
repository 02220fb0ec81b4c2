/**
 * Registers the service worker that keeps the app and the chosen region's directory on the phone, and says
 * once a given directory address has been saved (fetched through the worker, which keeps a copy).
 */
export async function registerServiceWorker(): Promise<ServiceWorkerContainer | null> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return null;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch {
    return null;
  }
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    // The first visit is not controlled until the worker claims it.
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  }
  return navigator.serviceWorker;
}

/** Fetches the addresses again through the worker, so that its copies are those of this visit. */
export async function saveForOffline(urls: readonly string[]): Promise<boolean> {
  try {
    const responses = await Promise.all(urls.map((url) => fetch(url, { headers: { accept: 'application/json' } })));
    return responses.every((response) => response.ok);
  } catch {
    return false;
  }
}
