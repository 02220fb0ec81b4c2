import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './build/serviceWorkerPlugin.ts';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const inWeb = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** A workspace feature's words in one language: `web/src/<feature>/messages/<language>.json` (i18n/catalogues.ts). */
const workspaceMessages = /\/web\/src\/[^/]+\/messages\/([^/]+)\.json$/;

export default defineConfig({
  root: webRoot,
  plugins: [
    svelte(),
    serviceWorkerPlugin({
      source: inWeb('./service-worker.js'),
      entryHtml: 'find.html',
      extraFiles: [
        '/find.webmanifest',
        '/icons/passerelle.svg',
        '/icons/passerelle-192.png',
        '/icons/passerelle-512.png',
      ],
    }),
  ],
  build: {
    outDir: inWeb('./dist'),
    emptyOutDir: true,
    // The JS budget check (scripts/check-js-budget.ts) reads which files each page loads from here.
    manifest: true,
    rollupOptions: {
      input: { workspace: inWeb('./index.html'), find: inWeb('./find.html') },
      output: {
        codeSplitting: {
          groups: [
            {
              // A language's words for every workspace feature in one file (`messages-fr-….js`) rather than one per
              // feature: a page loads all of them before its first paint, and twenty requests in a row cost a slow
              // connection several round trips more than one.
              name: (id: string) => {
                const language = workspaceMessages.exec(id)?.[1];
                return language ? `messages-${language}` : null;
              },
              test: workspaceMessages,
            },
          ],
        },
      },
    },
    // MapLibre alone is ~1 MB minified; the warning would fire on every build without telling us anything new.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
});
