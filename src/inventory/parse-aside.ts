/**
 * Parsing a large inventory on two threads: the helper thread takes the last half of the files
 * (by size) while this one parses the first half, and the outcomes are the same as parsing all
 * of them here, in the same order. Small inventories, and programs without a helper, parse
 * everything here.
 */
import { helperWanted, onHelper, retireHelper } from "../threads/helper-thread.js";
import { parseJobs, type ParseJob } from "./source-file.js";
import { runInterruptibly, runToEnd } from "./steps.js";
import { YamlSource, type ParsedYaml, type TransferredYaml } from "./yaml-source.js";

/**
 * From this much YAML (bytes; about 20,000 sites), parsing half of it on a second thread pays
 * for starting one. Measured with plan (helper for the parse only): 10,000 sites no faster,
 * 30,000 a little (4.0 s to 3.9 s), 100,000 clearly; below, a cold second thread costs more CPU
 * than it saves time.
 */
export const PARSE_ASIDE_FROM = 3_000_000;

/** What the helper thread runs: the jobs parsed, each outcome ready to cross back. */
export function parseForTransfer(jobs: readonly ParseJob[]): TransferredYaml[] {
  return runToEnd(parseJobs(jobs)).map((parsed) => YamlSource.transfer(parsed));
}

/** Every job parsed (`out[i]` is `jobs[i]`'s), part of them on the helper thread when the work is large. */
export async function parseAll(jobs: readonly ParseJob[], signal?: AbortSignal): Promise<ParsedYaml[]> {
  let bytes = 0;
  for (const job of jobs) bytes += job.text.length;
  if (!helperWanted(bytes >= PARSE_ASIDE_FROM)) return runInterruptibly(parseJobs(jobs), signal);
  let split = 0;
  for (let seen = 0; split < jobs.length && seen < bytes / 2; split++) seen += (jobs[split] as ParseJob).text.length;
  const head = jobs.slice(0, split);
  const tail = jobs.slice(split);
  const aside = onHelper("parse-yaml", tail, async () => (await runInterruptibly(parseJobs(tail), signal)).map((p) => YamlSource.transfer(p)), signal);
  // Settled even if the head's parse throws (a signal), so that its rejection is never unhandled.
  aside.catch(() => undefined);
  const here = await runInterruptibly(parseJobs(head), signal);
  const there = await aside;
  // The helper's heap holds what the parse needed at its peak: ending it hands that back (for
  // validate, the peak of the whole run); a read that follows starts a fresh one.
  retireHelper();
  return [...here, ...there.map((parse, i) => YamlSource.received((tail[i] as ParseJob).file, (tail[i] as ParseJob).text, parse))];
}
