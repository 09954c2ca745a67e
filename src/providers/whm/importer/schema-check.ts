/**
 * Whether what the importer is about to write fits the WHM schemas: one limit value, a whole
 * account file, a whole plan file. The schemas are compiled once; the marks are registered as
 * plain annotations, since the importer never offers a field an entry field sets (the
 * inventory check enforces them on the written files). Decides nothing about what to write.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { MARKS } from "../../../kinds/marks.js";
import accountSchema from "../schemas/account.schema.json" with { type: "json" };
import planSchema from "../schemas/plan.schema.json" with { type: "json" };
import servicesSchema from "../schemas/services.schema.json" with { type: "json" };

interface Validators {
  services: ValidateFunction;
  account: ValidateFunction;
  plan: ValidateFunction;
}

let validators: Validators | undefined;

function compiled(): Validators {
  if (validators === undefined) {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats.default(ajv, ["date"]);
    for (const keyword of Object.values(MARKS)) ajv.addKeyword({ keyword });
    ajv.addSchema(servicesSchema, "services.schema.json");
    ajv.addSchema(accountSchema, "account.schema.json");
    ajv.addSchema(planSchema, "plan.schema.json");
    const get = (id: string): ValidateFunction => {
      const found = ajv.getSchema(id);
      if (found === undefined) throw new Error(`internal: schema ${id} did not compile`);
      return found;
    };
    validators = { services: get("services.schema.json"), account: get("account.schema.json"), plan: get("plan.schema.json") };
  }
  return validators;
}

/** Whether `value` may be written at `group.field` under `services:`. */
export function fitsServices(field: string, value: unknown): boolean {
  const dot = field.indexOf(".");
  return compiled().services({ [field.slice(0, dot)]: { [field.slice(dot + 1)]: value } });
}

function problems(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath === "" ? "the file" : e.instancePath} ${e.message ?? "is invalid"}`);
}

/** What the account schema says is wrong with an account file's value; empty when valid. */
export function accountFileProblems(value: unknown): string[] {
  return problems(compiled().account, value);
}

/** What the plan schema says is wrong with a plan file's value; empty when valid. */
export function planFileProblems(value: unknown): string[] {
  return problems(compiled().plan, value);
}

/** An account file that is valid on its own: one field at a time is checked against it. */
const MINIMAL_ACCOUNT = { server: "s", user: "a", domain: "a.example", plan: "p" } as const;

/** Whether a suspension reason can be written as `suspend_reason`. */
export function fitsSuspendReason(reason: string): boolean {
  return accountFileProblems({ ...MINIMAL_ACCOUNT, state: "suspended", suspend_reason: reason }).length === 0;
}

/** Whether a contact address can be written as `email`. */
export function fitsEmail(email: string): boolean {
  return accountFileProblems({ ...MINIMAL_ACCOUNT, email }).length === 0;
}

/** Whether a package name can be a plan's `whm_package`. */
export function fitsPackage(pkg: string): boolean {
  return planFileProblems({ whm_package: pkg }).length === 0;
}
