/** Limits both the server and the pages check: the pages to answer sooner, the server to decide. */

/** The fewest characters a password may have; a short sentence is easy to remember. */
export const MIN_PASSWORD_LENGTH = 10;

/** The most characters a person's display name may have, counted once trimmed. */
export const DISPLAY_NAME_MAX = 100;
