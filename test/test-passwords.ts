import { hash } from '@node-rs/argon2';

// The product hashes passwords with OWASP's argon2id baseline (19 MiB, 2 passes): about 25 ms of
// CPU per sign-in on purpose, and the suite signs in about 850 times. Accounts the tests make for
// themselves, and the demo accounts in the run's template, are stored with argon2id at its least
// cost instead. Signing in still runs the product's own check against the stored hash (argon2
// reads its settings from the hash), so nothing the product does is bypassed; accounts the product
// itself creates or resets in a test keep the full cost.
const ARGON2ID = 2;
const LEAST_COST = { algorithm: ARGON2ID, memoryCost: 8, timeCost: 1, parallelism: 1 };

const hashes = new Map<string, Promise<string>>();

/** An argon2id hash of `password` at least cost, made once per test process. */
export function testPasswordHash(password: string): Promise<string> {
  let made = hashes.get(password);
  if (!made) {
    made = hash(password, LEAST_COST);
    hashes.set(password, made);
  }
  return made;
}
