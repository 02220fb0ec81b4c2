import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Runs `work` after the current answer has gone, so that the answer says nothing through its timing about
     * what the work found (e.g. whether an e-mail has an account). A failure is logged, never thrown.
     */
    runAfterAnswer(description: string, log: FastifyBaseLogger, work: () => Promise<void>): void;
    /** Resolves once every task started so far has ended (tests; closing waits for them too). */
    backgroundTasksSettled(): Promise<void>;
    /**
     * Runs `work` now, then again `everyMs` after each run ends (runs never overlap), until the application
     * closes; closing stops the timer and waits for a run under way. A failure is logged, and the next run
     * comes all the same.
     */
    repeatInBackground(description: string, everyMs: number, log: FastifyBaseLogger, work: () => Promise<void>): void;
  }
}

/** Work that follows an answer instead of delaying it; closing the application waits for what is under way. */
export const backgroundTasksPlugin = fp(
  async (app) => {
    const running = new Set<Promise<void>>();

    app.decorate('runAfterAnswer', (description: string, log: FastifyBaseLogger, work: () => Promise<void>) => {
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((error: unknown) => log.error({ err: error }, `${description} failed`))
        .finally(() => running.delete(task));
      running.add(task);
    });

    app.decorate('backgroundTasksSettled', async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    });

    const timers = new Set<NodeJS.Timeout>();
    let closing = false;
    app.decorate(
      'repeatInBackground',
      (description: string, everyMs: number, log: FastifyBaseLogger, work: () => Promise<void>) => {
        const runOnce = () => {
          if (closing) return;
          const task = work()
            .catch((error: unknown) => log.error({ err: error }, `${description} failed`))
            .finally(() => {
              running.delete(task);
              if (closing) return;
              const timer = setTimeout(() => {
                timers.delete(timer);
                runOnce();
              }, everyMs);
              // A waiting timer does not keep the process alive: closing the server is what ends it.
              timer.unref();
              timers.add(timer);
            });
          running.add(task);
        };
        runOnce();
      },
    );

    app.addHook('onClose', async () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await app.backgroundTasksSettled();
    });
  },
  { name: 'background-tasks' },
);
