import argon2 from 'argon2';
import { MIN_PASSWORD_LENGTH } from '#contract/limits.js';
import { type CodedMessage, said } from '../messages/userError.js';

/**
 * argon2id with OWASP's recommended floor (19 MiB, 2 passes): slow enough to make a stolen hash expensive to
 * crack, quick enough (~50 ms) not to stall the server on each login.
 */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { MIN_PASSWORD_LENGTH };

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** A hash of nothing, checked when the e-mail is unknown, so that timing does not tell which e-mails exist. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    decoyHash ??= hashPassword('decoy password, never matches');
    await argon2.verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

/** Why a new password is refused, in words for the person choosing it; null when it is acceptable. */
export function passwordProblem(password: string, email: string): CodedMessage | null {
  if (password.length < MIN_PASSWORD_LENGTH) return said('account.password-too-short', { min: MIN_PASSWORD_LENGTH });
  if (password.toLowerCase() === email.toLowerCase()) return said('account.password-is-email');
  return null;
}
