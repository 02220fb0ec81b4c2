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

    app.addHook('onClose', async () => {
      await app.backgroundTasksSettled();
    });
  },
  { name: 'background-tasks' },
);
