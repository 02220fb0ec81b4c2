/**
 * Resolves once the browser has had the chance to draw a frame and to answer input: after the next animation frame,
 * in a task of its own. The finder draws long things (a page of results, the list of towns) a few at a time with
 * it, so that no single task of the main thread runs long on a cheap phone. A hidden page draws no frames: there it
 * resolves after `fallbackMs` instead, so that the work still ends.
 */
export function afterNextFrame(fallbackMs = 100): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      window.clearTimeout(fallback);
      resolve();
    };
    const fallback = window.setTimeout(finish, fallbackMs);
    requestAnimationFrame(() => window.setTimeout(finish, 0));
  });
}
