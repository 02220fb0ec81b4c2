/**
 * Wraps text whose direction may differ from the sentence around it (a phone number, a street name in a
 * right-to-left message) in Unicode first-strong isolates, so that neither reorders the other.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
