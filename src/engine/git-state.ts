/**
 * The inventory's git commit for the plan document: which reviewed state a plan was built
 * from. Outside a repository (or without git) the plan says so with null, never fails.
 */
import { CONFIG_FILE, INVENTORY_FOLDERS } from "../inventory/file-kinds.js";
import { simpleGit } from "simple-git";

export interface GitState {
  commit: string | null;
  /** Tracked or untracked inventory files differ from the commit. */
  dirty: boolean;
}

export async function readGitState(dir: string): Promise<GitState> {
  try {
    const git = simpleGit({ baseDir: dir });
    if (!(await git.checkIsRepo())) return { commit: null, dirty: false };
    const commit = (await git.revparse(["HEAD"])).trim();
    const status = await git.status(["--", CONFIG_FILE, ...INVENTORY_FOLDERS]);
    return { commit, dirty: !status.isClean() };
  } catch {
    // A repository without commits, or git missing: the plan is still valid, just unattributed.
    return { commit: null, dirty: false };
  }
}
