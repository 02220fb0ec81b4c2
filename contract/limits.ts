/** Limits both the server and the pages check: the pages to answer sooner, the server to decide. */

/** The fewest characters a password may have; a short sentence is easy to remember. */
export const MIN_PASSWORD_LENGTH = 10;

/** The most characters a person's display name may have, counted once trimmed. */
export const DISPLAY_NAME_MAX = 100;

/**
 * How far (in days) from the server's today, in the region, the first day of a directory's opening times may be. A
 * phone whose date is further off (a cheap phone's clock reset to a year long gone) is not believed: the finder then
 * counts the server's day, at the phone's time of day.
 */
export const DIRECTORY_MAX_DAYS_FROM_TODAY = 366;
