/** A file that cannot be read as areas, with a sentence for the person who sent it (answered as a 400). */
export class GeoFileError extends Error {
  override name = 'GeoFileError';
}
