import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interfaceLanguages } from '../find/i18n/languages';
import type { Messages } from './translate';

/**
 * The message files of the workspace, the public profile and the gap report (`<feature>/messages/<code>.json`):
 * every language has every key English has and no other, keeps its placeholders and has the plural forms its
 * grammar needs; every key is used by some page, and every key a page asks for exists.
 */
const webSource = fileURLToPath(new URL('..', import.meta.url));
const features = readdirSync(webSource).filter((name) => {
  try {
    return statSync(path.join(webSource, name, 'messages')).isDirectory();
  } catch {
    return false;
  }
});

function readMessages(feature: string, code: string): Messages {
  return JSON.parse(readFileSync(path.join(webSource, feature, 'messages', `${code}.json`), 'utf8')) as Messages;
}

function languagesOf(feature: string): string[] {
  return readdirSync(path.join(webSource, feature, 'messages'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length));
}

const pluralCategories = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
const isPlural = (node: Messages) =>
  Object.keys(node).length > 0 && Object.keys(node).every((key) => pluralCategories.has(key));

/** Every message as `key → text` (a plural message as one entry per form, `key#form`). */
function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat.set(name, value);
    else if (isPlural(value))
      for (const [form, text] of Object.entries(value)) flat.set(`${name}#${form}`, text as string);
    else for (const [inner, text] of flatten(value, name)) flat.set(inner, text);
  }
  return flat;
}

const messageKeys = (flat: Map<string, string>) => new Set([...flat.keys()].map((key) => key.split('#')[0]!));
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!));

const workspaceLanguages = languagesOf('workspace');
const finderLanguages = interfaceLanguages.map((language) => language.code);
/** The public profile and the gap report are read by newcomers too: every finder language. */
const everyFinderLanguage = new Set(['profile', 'gap-analysis']);

describe('workspace message files', () => {
  it('are written in the workspace languages the issue asks for', () => {
    expect(workspaceLanguages.sort()).toEqual(expect.arrayContaining(['ar', 'de', 'en', 'es', 'fr', 'nl', 'sv', 'uk']));
  });

  for (const feature of features) {
    describe(feature, () => {
      const english = flatten(readMessages(feature, 'en'));
      const wanted = everyFinderLanguage.has(feature)
        ? [...new Set([...workspaceLanguages, ...finderLanguages])]
        : workspaceLanguages;

      it('has a file for every language', () => {
        expect(languagesOf(feature).sort()).toEqual(expect.arrayContaining(wanted));
      });

      for (const code of languagesOf(feature).filter((language) => language !== 'en')) {
        it(`${code}: has every key English has and no other, with the same placeholders`, () => {
          const translated = flatten(readMessages(feature, code));
          expect([...messageKeys(translated)].sort()).toEqual([...messageKeys(english)].sort());
          const needed = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
          for (const key of messageKeys(english)) {
            const englishForms = [...english.entries()].filter(([name]) => name.split('#')[0] === key);
            const forms = [...translated.entries()].filter(([name]) => name.split('#')[0] === key);
            const englishPlaceholders = new Set(englishForms.flatMap(([, text]) => [...placeholders(text)]));
            const isPluralMessage = englishForms.some(([name]) => name.includes('#'));
            if (isPluralMessage) {
              for (const category of needed)
                expect(
                  forms.map(([name]) => name),
                  `${key} ${category}`,
                ).toContain(`${key}#${category}`);
              // A form may write its number out in words ("two"), but no form may bring a placeholder English lacks.
              for (const [name, text] of forms) {
                for (const placeholder of placeholders(text)) expect(englishPlaceholders, name).toContain(placeholder);
              }
              const other = translated.get(`${key}#other`) ?? '';
              expect(placeholders(other), `${key}#other`).toEqual(placeholders(english.get(`${key}#other`) ?? ''));
            } else {
              expect(placeholders(forms[0]?.[1] ?? ''), key).toEqual(englishPlaceholders);
            }
          }
        });
      }
    });
  }
});

/** Every page source (components and modules), tests aside. */
function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'messages' ? [] : sources(full);
    return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('message keys in the pages', () => {
  const code = sources(webSource)
    .filter((file) => !file.includes(`${path.sep}find${path.sep}`))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const featurePattern = features.join('|');
  /** Keys written out in full: `t('register.form.name')`, or a `'register.sector.ngo'` kept in a table. */
  const literalKeys = new Set(
    [...code.matchAll(new RegExp(`['"\`]((?:${featurePattern})\\.[\\w.-]+)['"\`]`, 'g'))].map((match) => match[1]!),
  );
  /** Keys built at run time from a written prefix: t(`gap-analysis.flag.${flag}`). */
  const prefixes = [...code.matchAll(new RegExp(`\`((?:${featurePattern})\\.[\\w.-]*)\\$\\{`, 'g'))].map(
    (match) => match[1]!,
  );

  it('every key is used by some page', () => {
    const unused: string[] = [];
    for (const feature of features) {
      for (const key of messageKeys(flatten(readMessages(feature, 'en'), feature))) {
        if (!literalKeys.has(key) && !prefixes.some((prefix) => key.startsWith(prefix))) unused.push(key);
      }
    }
    expect(unused).toEqual([]);
  });

  it('every key a page names exists in English', () => {
    const known = new Set(
      features.flatMap((feature) => [...messageKeys(flatten(readMessages(feature, 'en'), feature))]),
    );
    // A literal that names a whole group (a prefix ending in a dot) or a plural message is not a missing key.
    const missing = [...literalKeys].filter(
      (key) => !known.has(key) && ![...known].some((name) => name.startsWith(`${key}.`)) && !key.endsWith('.'),
    );
    expect(missing).toEqual([]);
  });
});
