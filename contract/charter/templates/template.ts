/** The guide's sample charter in one language, and where the alliance's own vision goes in it. */
export interface CharterTemplate {
  /** The words in `text` that the alliance's vision replaces. */
  placeholder: string;
  text: string;
}

/** A template from its paragraphs, the placeholder standing alone on its own line. */
export function charterTemplateOf(
  placeholder: string,
  before: readonly string[],
  after: readonly string[],
): CharterTemplate {
  return { placeholder, text: [...before, placeholder, ...after].join('\n') };
}
