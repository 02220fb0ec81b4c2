/**
 * Whether a text is a web address a page may link to: http:// or https:// with a host. Anything else — javascript:,
 * data:, vbscript:, file:, or an address without its scheme — is not: a link to it could run a script or lead
 * nowhere. The WHATWG URL parser reads it as a browser would (it skips tabs and line breaks, which "java\tscript:"
 * relies on), and the text must also start with the scheme itself.
 */
export function isWebAddress(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A stored address as it may be handed out or linked to: itself when it is a web address, else null. */
export function webAddressOrNull(text: string | null | undefined): string | null {
  return text && isWebAddress(text) ? text : null;
}

/** The first of these address fields that holds something other than a web address; null when none does. */
export function fieldNotWebAddress(fields: Record<string, string | null | undefined>): string | null {
  const [field] = Object.entries(fields).find(([, text]) => text && !isWebAddress(text)) ?? [];
  return field ?? null;
}
