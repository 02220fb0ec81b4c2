/** A piece of a message: plain text, text in bold (`**…**`), or a key or code (`` `…` ``). */
export interface TextPart {
  text: string;
  style: 'plain' | 'strong' | 'code';
}

/**
 * Reads the little markup a message may hold, so that a sentence with a word in bold or a key name stays one whole
 * message: "Click the map. `Escape` cancels." Marks use no letters, so that the pseudo-locale leaves them alone.
 */
export function richText(message: string): TextPart[] {
  return message
    .split(/(\*\*[^*]+\*\*|`[^`]+`)/)
    .filter((part) => part !== '')
    .map((part) => {
      if (part.startsWith('**') && part.endsWith('**') && part.length > 4) {
        return { text: part.slice(2, -2), style: 'strong' };
      }
      if (part.startsWith('`') && part.endsWith('`') && part.length > 2)
        return { text: part.slice(1, -1), style: 'code' };
      return { text: part, style: 'plain' };
    });
}
