import { type CodedMessage, UserError } from '../messages/userError.js';

/**
 * A file that cannot be read as areas, with a sentence for the person who sent it (answered as a 400): coded
 * `geo-file.…` with the file's name, or `error` for the rarer ones that have no code of their own.
 */
export class GeoFileError extends UserError {
  constructor(message: CodedMessage) {
    super(400, message);
    this.name = 'GeoFileError';
  }
}
