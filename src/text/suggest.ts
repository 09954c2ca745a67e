/**
 * "Did you mean …?": the closest known name to a misspelt one. Pure.
 */

/**
 * Edit distance between two names, or `limit + 1` as soon as it must exceed `limit`: a row
 * whose smallest entry is past the limit only grows. Two reused rows, no allocation per call,
 * since an inventory with thousands of unknown fields asks this for each against every known name.
 */
function distance(a: string, b: string, limit: number): number {
  if (previous.length <= b.length) {
    previous = new Uint32Array(b.length + 1);
    current = new Uint32Array(b.length + 1);
  }
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current[j] = value;
      if (value < smallest) smallest = value;
    }
    if (smallest > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

let previous = new Uint32Array(64);
let current = new Uint32Array(64);

/** The nearest candidate within a third of the name's length (at least 2 edits), if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const budget = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    // Lengths further apart than the budget are further apart in edits too: skip the costly
    // comparison (a pasted 100 kB value compared with every known name would be slow).
    if (Math.abs(candidate.length - name.length) > budget) continue;
    const d = distance(lower, candidate.toLowerCase(), budget);
    if (d < bestDistance && d <= budget) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean \`x\`?`, else the list of what is allowed (shortened when long). */
export function suggestion(name: string, candidates: readonly string[], what: string): string {
  const near = closest(name, candidates);
  if (near !== undefined) return `did you mean \`${near}\`?`;
  if (candidates.length === 0) return `no ${what} is defined`;
  const shown = candidates.slice(0, 12).map((c) => `\`${c}\``).join(", ");
  return `${what}: ${shown}${candidates.length > 12 ? ", …" : ""}`;
}
