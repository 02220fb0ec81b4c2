/** Longest wait for the first paint: a page opened in a background tab paints nothing until it is shown. */
const AT_THE_LATEST_MS = 3000;

/**
 * Runs `work` once the page has shown its first content (the `first-contentful-paint` entry), so that heavy
 * downloads such as MapLibre do not hold the page's shell back; at the latest after a few seconds, and at once in a
 * browser that does not report paints.
 */
export function afterFirstPaint(work: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    observer?.disconnect();
    clearTimeout(timer);
    work();
  };
  let observer: PerformanceObserver | undefined;
  const timer = setTimeout(once, AT_THE_LATEST_MS);
  try {
    observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length > 0) once();
    });
    observer.observe({ type: 'paint', buffered: true });
  } catch {
    once();
  }
}
