import { type CodedMessage, UserError } from '../messages/userError.js';

/** A failure the coordinator can act on (a grid too fine, an empty set of areas…); its message is shown as is. */
export class GapAnalysisInputError extends UserError {
  constructor(message: CodedMessage) {
    super(400, message);
  }
}
