import { fieldNotWebAddress } from '#contract/links/webAddress.js';
import { type CodedMessage, said } from '../domain/messages/userError.js';

/** What a person is told about the first of these address fields that holds something else; null when none does. */
export function webAddressProblem(fields: Record<string, string | null | undefined>): CodedMessage | null {
  const field = fieldNotWebAddress(fields);
  return field === null ? null : said('input.not-web-address', { field });
}
