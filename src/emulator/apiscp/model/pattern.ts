/**
 * The `match` flag of admin_delete_site: a regular expression tested against the
 * suspension reason. ApisCP hands it to PCRE, so the delimited form (`/cancel/i`,
 * `#cancel#`) is understood; anything else is taken as a bare pattern. Only the modifiers
 * JavaScript can honour (i, m, s, u) are accepted; the others would silently change meaning.
 */
import { ApiFault } from "../api.js";
import { describeValue } from "./values.js";

const DELIMITED = /^([/#~!%|@])([\s\S]*)\1([A-Za-z]*)$/;
const SUPPORTED_MODIFIERS = /^[imsu]*$/;

export function parsePattern(text: string): RegExp {
  if (text.length === 0) throw new ApiFault("invalid match pattern: empty");
  const delimited = DELIMITED.exec(text);
  const body = delimited ? (delimited[2] as string) : text;
  const modifiers = delimited ? (delimited[3] as string) : "";
  if (!SUPPORTED_MODIFIERS.test(modifiers)) {
    const shown = describeValue(text);
    throw new ApiFault(`invalid match pattern ${shown}: unsupported modifier in ${JSON.stringify(modifiers)}`);
  }
  try {
    return new RegExp(body, [...new Set(modifiers)].join(""));
  } catch (error) {
    throw new ApiFault(`invalid match pattern ${describeValue(text)}: ${(error as Error).message}`);
  }
}
