/**
 * The finder's JavaScript budget: what a newcomer's phone must download before the page can be used.
 * Reads which files `/find` loads from Vite's build manifest, weighs them gzipped, prints a table, and
 * fails when the page's first load is over budget. Files loaded later (the map, other languages) are listed
 * apart: they cost nothing until someone needs them.
 *
 *   npm run build && npm run check:budget            # check
 *   npm run check:budget -- --write                   # and record the table in docs/benchmarks.md
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeReportSection } from './bench/lib/benchmarkReport.js';

/** Gzipped bytes of JavaScript the finder may need before it is usable. */
const FIRST_LOAD_JS_BUDGET = 50 * 1024;
/** Gzipped bytes of CSS on the first load. */
const FIRST_LOAD_CSS_BUDGET = 12 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const distDir = path.resolve('web/dist');
const manifestFile = path.join(distDir, '.vite', 'manifest.json');
if (!fs.existsSync(manifestFile)) {
  console.error(`No build manifest at ${manifestFile}: run "npm run build" first.`);
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
const entryKey = Object.keys(manifest).find((key) => key.endsWith('find.html'));
if (!entryKey) {
  console.error('The build manifest has no find.html entry.');
  process.exit(2);
}

const gzipped = (file: string) => gzipSync(fs.readFileSync(path.join(distDir, file)), { level: 9 }).length;

/** The entry and everything it imports statically: what the browser fetches before the page runs. */
const firstJs = new Set<string>();
const firstCss = new Set<string>();
const lazyKeys = new Set<string>();
const visit = (key: string) => {
  const chunk = manifest[key];
  if (!chunk || firstJs.has(chunk.file)) return;
  firstJs.add(chunk.file);
  for (const css of chunk.css ?? []) firstCss.add(css);
  for (const imported of chunk.imports ?? []) visit(imported);
  for (const lazy of chunk.dynamicImports ?? []) lazyKeys.add(lazy);
};
visit(entryKey);

/** What loads on demand, with what it pulls in beyond the first load. */
const lazy = [...lazyKeys]
  .filter((key) => manifest[key] && !firstJs.has(manifest[key].file))
  .map((key) => {
    const files = new Set<string>();
    const walk = (inner: string) => {
      const chunk = manifest[inner];
      if (!chunk || firstJs.has(chunk.file) || files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const css of chunk.css ?? []) files.add(css);
      for (const imported of chunk.imports ?? []) walk(imported);
    };
    walk(key);
    const name = manifest[key]!.src ?? key;
    return { name, bytes: [...files].reduce((sum, file) => sum + gzipped(file), 0) };
  })
  .sort((a, b) => b.bytes - a.bytes);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const jsBytes = [...firstJs].reduce((sum, file) => sum + gzipped(file), 0);
const cssBytes = [...firstCss].reduce((sum, file) => sum + gzipped(file), 0);
const jsOk = jsBytes <= FIRST_LOAD_JS_BUDGET;
const cssOk = cssBytes <= FIRST_LOAD_CSS_BUDGET;

const messageFiles = lazy.filter((item) => item.name.includes('/i18n/messages/'));
const otherLazy = lazy.filter((item) => !item.name.includes('/i18n/messages/'));
const largestMessages = Math.max(0, ...messageFiles.map((item) => item.bytes));
const markdown = `## Finder JavaScript budget (\`scripts/check-js-budget.ts\`)

What \`/find\` downloads before a newcomer can use it, gzipped, from the production build. The check runs in
\`npm test\` after the build and fails over budget.

| First load | Size (gzip) | Budget | Result |
| --- | ---: | ---: | --- |
| JavaScript (${firstJs.size} files) | ${kib(jsBytes)} | ${kib(FIRST_LOAD_JS_BUDGET)} | ${jsOk ? 'PASS' : 'FAIL'} |
| CSS (${firstCss.size} files) | ${kib(cssBytes)} | ${kib(FIRST_LOAD_CSS_BUDGET)} | ${cssOk ? 'PASS' : 'FAIL'} |

Loaded only when needed:

| On demand | Size (gzip) |
| --- | ---: |
${otherLazy.map((item) => `| \`${item.name}\` | ${kib(item.bytes)} |`).join('\n')}
| one interface language other than English (largest of ${messageFiles.length}) | ${kib(largestMessages)} |
`;

console.log(markdown);
if (process.argv.includes('--write')) {
  await writeReportSection(path.resolve('docs/benchmarks.md'), 'js-budget', markdown);
  console.log('Written to docs/benchmarks.md.');
}
if (!jsOk || !cssOk) {
  console.error('The finder is over its first-load budget.');
  process.exit(1);
}
