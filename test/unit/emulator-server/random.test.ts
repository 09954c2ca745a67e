import { describe, expect, it } from "vitest";
import { createRandom } from "../../../src/emulator/apiscp/server/random.js";

describe("createRandom", () => {
  it("gives the same sequence for the same seed and another for another seed", () => {
    const take = (seed: number): number[] => {
      const r = createRandom(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const r = createRandom(42);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });

  it("draws nothing for certain outcomes, so idle knobs do not shift the sequence", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.next()).toBe(b.next());
  });

  it("hits a probability about as often as asked", () => {
    const r = createRandom(3);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (r.chance(0.3)) hits++;
    expect(hits / 10_000).toBeCloseTo(0.3, 1);
  });
});
