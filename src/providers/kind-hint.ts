/**
 * What a provider's failure message ends with, by the failure's kind: for a refused login, the
 * environment variables the credentials came from (named, never their values); for a failure
 * to get through, what to check. One wording for every panel.
 */
import type { ProviderErrorKind } from "./provider.js";

/** `subject` is what the variables hold, as the reader knows it: `the key`, `the user and token`. */
export function kindHint(kind: ProviderErrorKind, subject: string, variables: ReadonlyArray<string | null>): string {
  switch (kind) {
    case "auth": {
      const named = variables.filter((v): v is string => v !== null);
      if (named.length === 0) return "";
      return ` (${subject} ${subject.includes(" and ") ? "come" : "comes"} from ${named.join(" and ")})`;
    }
    case "transport":
      return "; check that the server is up and its url in siteform.yaml is right";
    default:
      return "";
  }
}
