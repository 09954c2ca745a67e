/**
 * "Did you mean …?": the closest known name to a misspelt one. Pure.
 */

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

/** The nearest candidate within a third of the name's length (at least 2 edits), if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const budget = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
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
