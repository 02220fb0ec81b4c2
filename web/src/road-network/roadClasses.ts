/** The rows and columns of the speeds table: the contract's road classes and profiles, in the server's order. */
export { roadClasses, travelProfiles } from '#contract/travel/roadClasses.js';
