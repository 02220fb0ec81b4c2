import { session } from '../account/session.svelte';

let pending: Promise<void> | null = null;

/**
 * Makes sure the page knows who is signed in before it shows or hides edit controls. The workspace shell usually
 * has asked already; a page opened on its own (a shared link) asks once itself.
 */
export function sessionReady(): Promise<void> {
  if (session.loaded) return Promise.resolve();
  pending ??= session.refresh().catch(() => {
    pending = null;
  });
  return pending;
}
