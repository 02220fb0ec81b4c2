import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Plugin } from 'vite';

/**
 * Emits `sw.js` from `service-worker.js`, with the list of files the finder needs offline: its page, its
 * manifest and icons, its entry chunk with everything that chunk imports, its styles, its message files and the
 * staff card's texts (the card must open offline in the region's language), and the Web Worker that searches.
 * The map's chunk (MapLibre, most of the weight) is left out: it is saved the first time someone opens the map.
 */
export function serviceWorkerPlugin(options: { source: string; entryHtml: string; extraFiles: string[] }): Plugin {
  return {
    name: 'passerelle-service-worker',
    apply: 'build',
    generateBundle(_outputOptions, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry && chunk.facadeModuleId?.endsWith(options.entryHtml));
      if (!entry) throw new Error(`The service worker plugin found no entry chunk for ${options.entryHtml}.`);
      const files = new Set<string>();
      const visit = (fileName: string) => {
        if (files.has(fileName)) return;
        const chunk = bundle[fileName];
        if (!chunk || chunk.type !== 'chunk') return;
        files.add(fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
        for (const imported of chunk.imports) visit(imported);
      };
      visit(entry.fileName);
      for (const chunk of chunks) {
        if (/\/i18n\/(messages|staff)\/[a-z]+\.json$/.test(chunk.facadeModuleId ?? '')) visit(chunk.fileName);
      }
      // The finder's Web Worker (built apart, an asset of this bundle): without it nothing is found offline.
      for (const item of Object.values(bundle)) {
        if (item.type === 'asset' && /(^|\/)directoryWorker-[\w-]+\.js$/.test(item.fileName)) files.add(item.fileName);
      }
      const precache = ['/find', ...options.extraFiles, ...[...files].sort().map((file) => `/${file}`)];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const source = fs
        .readFileSync(options.source, 'utf8')
        .replace("'__VERSION__'", JSON.stringify(version))
        .replace('/* __PRECACHE__ */ []', JSON.stringify(precache));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
