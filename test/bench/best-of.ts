/**
 * The timing loop the file-reading benches share: one warm-up of each, then the best of `runs`,
 * alternating the floor and the measured work so both see the same cache and JIT state.
 */
export async function bestOfAlternating(runs: number, floorWork: () => Promise<unknown>, work: () => Promise<unknown>): Promise<{ floor: number; value: number }> {
  await floorWork();
  await work();
  let floor = Infinity;
  let value = Infinity;
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await floorWork();
    floor = Math.min(floor, performance.now() - start);
    start = performance.now();
    await work();
    value = Math.min(value, performance.now() - start);
  }
  return { floor, value };
}
