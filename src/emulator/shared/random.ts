/**
 * An emulator's one source of chance. Every knob that rolls dice (fail, drop, null) draws from a
 * single seeded generator so that a run with the same seed, knobs and call order misbehaves the
 * same way twice. Shared by every emulator; not for secrets: keys, tokens and session ids come
 * from node:crypto, never from here.
 */

/** The seed used when none is given: runs are reproducible by default, not random. */
export const DEFAULT_SEED = 0x5eed_f0e3;

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability `p` (0..1). Draws nothing when `p` is 0 or 1, so idle knobs don't shift the sequence. */
  chance(p: number): boolean;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter): 128 bits of state, passes PractRand, and
 * needs only 32-bit integer ops, which JS does exactly. Seeded through splitmix32 so that nearby
 * seeds (1, 2, 3) give unrelated streams.
 */
export function createRandom(seed: number = DEFAULT_SEED): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();

  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // The first outputs of a freshly seeded sfc32 are weakly mixed; the reference discards 12.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / 0x1_0000_0000;
  return {
    next,
    chance(p) {
      if (p <= 0) return false;
      if (p >= 1) return true;
      return next() < p;
    },
  };
}
