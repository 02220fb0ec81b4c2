import { createHash } from 'node:crypto';

/**
 * A stable UUID for an HSDS object Passerelle has no row of its own for (a taxonomy term, a service's phone, one
 * weekly slot of an opening-hours string): a version-5-like UUID from a SHA-1 of a name, so that the same object
 * keeps the same id from one answer, and one download, to the next.
 */
export function hsdsId(...name: string[]): string {
  const hex = createHash('sha1')
    .update(['passerelle-hsds', ...name].join('\u0000'))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
