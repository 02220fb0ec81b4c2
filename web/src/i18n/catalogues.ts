import { PSEUDO_LOCALE, pseudoMessages } from './pseudo';
import { createTranslator, type Messages, type Translate } from './translate';

/**
 * The message files of the workspace, the public profile and the gap report: each feature folder keeps its own
 * words in `<feature>/messages/<language>.json`, and its messages are read as `<feature>.<key>`
 * (`register.form.name`). Files load lazily: a language loads only its own files, one per feature.
 */
const messageFiles = import.meta.glob<Messages>('../*/messages/*.json', { import: 'default' });

interface CatalogueFile {
  feature: string;
  language: string;
  load: () => Promise<Messages>;
}

const files: CatalogueFile[] = Object.entries(messageFiles).flatMap(([path, load]) => {
  const match = /^\.\.\/([^/]+)\/messages\/([^/]+)\.json$/.exec(path);
  return match ? [{ feature: match[1]!, language: match[2]!, load }] : [];
});

/** Every feature that has messages. */
export const catalogueFeatures: readonly string[] = [...new Set(files.map((file) => file.feature))].sort();

/** The languages a feature's messages are written in (English first). */
export function languagesOf(feature: string): string[] {
  const codes = files.filter((file) => file.feature === feature).map((file) => file.language);
  return codes.sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
}

/** The workspace's languages: those its frame (`workspace/messages/`) is written in. */
export const workspaceLanguages: readonly string[] = languagesOf('workspace');

const loaded = new Map<string, Promise<Messages>>();

function loadFile(file: CatalogueFile): Promise<Messages> {
  const key = `${file.feature}/${file.language}`;
  let messages = loaded.get(key);
  if (!messages) {
    messages = file.load();
    loaded.set(key, messages);
  }
  return messages;
}

/**
 * A language's messages for some features (all by default), keyed by feature. A feature not written in that
 * language yet gets its English file, so that a partial translation still reads; the pseudo-locale is English
 * transformed.
 */
export async function loadCatalogue(
  language: string,
  features: readonly string[] = catalogueFeatures,
): Promise<Messages> {
  const source = language === PSEUDO_LOCALE ? 'en' : language;
  const entries = await Promise.all(
    features.map(async (feature) => {
      const file =
        files.find((candidate) => candidate.feature === feature && candidate.language === source) ??
        files.find((candidate) => candidate.feature === feature && candidate.language === 'en');
      const messages = file ? await loadFile(file) : {};
      return [feature, language === PSEUDO_LOCALE ? pseudoMessages(messages) : messages] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * A translator for one language and a few features, apart from the page's own language: the gap report printed in
 * Tigrinya for a workspace read in French, for instance.
 */
export async function translatorFor(language: string, features: readonly string[]): Promise<Translate> {
  const messages = await loadCatalogue(language, features);
  return createTranslator(language === PSEUDO_LOCALE ? 'en' : language, messages, {});
}
