/**
 * cPanel's username rules, as createacct and modifyacct newuser apply them: at most 16
 * characters, lowercase letters and digits, no leading digit, not starting with "test", not a
 * system name, and the first 8 characters unique among the server's accounts (a MySQL legacy
 * WHM still enforces). Callers lowercase first, as WHM does with what it is given.
 */

export const MAX_USERNAME_LENGTH = 16;

/** Names of system users and services that WHM refuses as account names (a representative subset). */
const RESERVED = new Set([
  "root", "nobody", "cpanel", "cpanelphpmyadmin", "cpanelphppgadmin", "mysql", "postgres", "mail", "named",
  "apache", "ftp", "admin", "all", "virtfs", "shared", "system", "daemon", "bin", "sys", "www",
]);

/** Why `user` cannot be a username, or undefined when it can (uniqueness aside). */
export function usernameProblem(user: string): string | undefined {
  if (user === "") return "The username is empty.";
  if (user.length > MAX_USERNAME_LENGTH) {
    return `The username “${user}” is too long: usernames may have at most ${MAX_USERNAME_LENGTH} characters.`;
  }
  if (/^[0-9]/.test(user)) return `The username “${user}” begins with a digit: usernames cannot begin with a number.`;
  if (user.startsWith("test")) return `The username “${user}” begins with “test”: usernames cannot begin with the string “test”.`;
  if (!/^[a-z][a-z0-9]*$/.test(user)) {
    return `The username “${user}” contains invalid characters: usernames may contain only lowercase letters and digits.`;
  }
  if (RESERVED.has(user)) return `The username “${user}” is reserved for the system.`;
  return undefined;
}

/** The first of `others` sharing `user`'s first 8 characters, or undefined. */
export function firstEightClash(user: string, others: Iterable<string>): string | undefined {
  const head = user.slice(0, 8);
  for (const other of others) if (other !== user && other.slice(0, 8) === head) return other;
  return undefined;
}
