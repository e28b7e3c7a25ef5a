import { hash, verify, type Algorithm } from '@node-rs/argon2';

// `Algorithm` is a const enum with no value at run time: a file compiled on its own (the build,
// Vitest, tsx) cannot inline it, and `Algorithm.Argon2id` would be undefined there. 2 is Argon2id.
const ARGON2ID = 2 satisfies Algorithm.Argon2id;

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** An argon2id hash (PHC string) of the password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when the password matches the stored hash; false for any malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// A real hash of a random password, checked when the account does not exist so that a wrong
// email takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}`);
  return decoyHash;
}
