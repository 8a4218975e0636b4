/** Username and password rules, and argon2id hashing (@node-rs/argon2, argon2id by default). */
import { hash, verify, type Options as Argon2Options } from "@node-rs/argon2";
import { AuthError } from "./errors.js";
import { COMMON_PASSWORDS } from "./common-passwords.js";
import { newSecret } from "./secrets.js";

export type PasswordHashOptions = Pick<Argon2Options, "memoryCost" | "timeCost" | "parallelism">;

export const MIN_PASSWORD_LENGTH = 12;
// argon2 pre-hashes any length, but a megabyte "password" is a request to refuse, not to hash.
export const MAX_PASSWORD_LENGTH = 1024;
const USERNAME = /^[a-z0-9_.-]{3,40}$/i;
const EDGE_NON_LETTERS = /^[^a-z]+|[^a-z]+$/g;
// Keyboard rows and sequences, doubled so that walks wrapping around the end are found too.
const WALKS = ["0123456789", "9876543210", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "zaq12wsxcde34rfvbgt56yhnmju78ik9ol0p"].map((w) => w + w);

const weak = (why: string) => new AuthError("GLEANER_ERR_AUTH_WEAK_PASSWORD", 400, `password refused: ${why}`);

export function checkUsername(username: unknown): string {
  if (typeof username !== "string" || !USERNAME.test(username)) {
    throw new AuthError("GLEANER_ERR_AUTH_INVALID_USERNAME", 400, "username must be 3-40 characters: letters, digits, '_', '.', '-'");
  }
  return username;
}

/** Throws a 400 naming the rule broken (never echoing the password). */
export function checkPassword(password: unknown, username: string): string {
  if (typeof password !== "string") throw weak("missing");
  if (password.length < MIN_PASSWORD_LENGTH) throw weak(`use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw weak(`use at most ${MAX_PASSWORD_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (lower.includes(username.toLowerCase())) throw weak("it contains the username");
  if (new Set(lower).size < 5) throw weak("it repeats too few different characters");
  const base = lower.replace(EDGE_NON_LETTERS, "");
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(base) || WALKS.some((w) => w.includes(lower))) {
    throw weak("it is a common password (or one with digits or symbols added); choose a longer, less predictable one");
  }
  return password;
}

export class PasswordHasher {
  private dummy: Promise<string> | undefined;
  constructor(private readonly options: PasswordHashOptions = {}) {}

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  /**
   * Verifies against `stored`, or against a dummy hash of the same cost when there is no such
   * user, so unknown usernames take as long as wrong passwords.
   */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    const target = stored ?? (await (this.dummy ??= hash(newSecret(), this.options)));
    try {
      const ok = await verify(target, password);
      return ok && stored !== undefined;
    } catch {
      return false; // a malformed stored hash is a failed login, not a crash
    }
  }
}
