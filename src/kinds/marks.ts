/**
 * The marks a kind's field schema may carry, by their JSON Schema keyword. One list, so the
 * schema compiler registers exactly what the catalogue reads.
 */
export const MARKS = {
  /** `x-secret: true`: never in git, never shown. Refused when present. */
  secret: "x-secret",
  /** `x-siteform-field: NAME`: an entry field sets it; giving it under `services:` is refused. */
  entryField: "x-siteform-field",
  /** `x-siteform-unit-of: FIELD` on a unit field: the amount in FIELD is counted in it. */
  unitOf: "x-siteform-unit-of",
  /** `x-siteform-set: true`: compared as a set (order and an empty list do not matter). */
  set: "x-siteform-set",
  /** `x-siteform-case-insensitive: true`: compared without regard to case. */
  caseInsensitive: "x-siteform-case-insensitive",
  /** `x-siteform-replaced-whole: true`: the panel replaces the whole value (shown to reviewers). */
  replacedWhole: "x-siteform-replaced-whole",
  /** `x-siteform-read-only: true`: the panel computes it; refused in the inventory. */
  readOnly: "x-siteform-read-only",
  /**
   * `x-siteform-at-least: true`: the server's value satisfies the wanted one when it is at least
   * as large (a number) or as late (an ISO date): a service paid until later than wanted needs
   * no renewal. Only what is planned compares so; a precondition still wants the value as read.
   */
  atLeast: "x-siteform-at-least",
  /**
   * `x-siteform-days-ahead: true` on a date field an entry field sets: the entry writes a number
   * of days, and the field wants the date that many days after the day the inventory is read
   * (`renew_ahead_days: 30` → paid until at least 30 days from today).
   */
  daysAhead: "x-siteform-days-ahead",
  /**
   * `x-siteform-paid-increase: true` on a field, or on a group for every field in it (add-ons
   * named by pattern): raising its value (a larger number, or false → true) costs money, so a
   * change that raises it makes the op a paid one, counted against `policy.max_paid_ops`.
   */
  paidIncrease: "x-siteform-paid-increase",
  /**
   * `x-siteform-from-server: "ENTRY.FIELD"` on a field an entry field sets: the entry may instead
   * name one of siteform.yaml's servers in ENTRY (`on_server: fra1`), and the value is that
   * server's FIELD (`ip`). One of the two must be given.
   */
  fromServer: "x-siteform-from-server",
} as const;
