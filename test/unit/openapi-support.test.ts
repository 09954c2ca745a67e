/**
 * Proves test/support/openapi.ts on a small hand-written OpenAPI 3.0 document (nullable, $ref
 * chains, oneOf, 3.0 boolean bounds, OpenAPI-only keywords, formats), then checks it can compile
 * every response schema in the recorded cPanel fixtures, so the WHM contract test stands on a
 * helper that is itself tested.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeErrors, loadOpenApi, parseOpenApi, responseValidator, toJsonSchema } from "../support/openapi.js";

const SAMPLE = `
openapi: 3.0.2
info: { title: sample, version: "1" }
paths:
  /thing:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                x-vendor-note: ignored
                example: { name: a }
                properties:
                  name:
                    type: string
                    example: a
                  note:
                    type: string
                    nullable: true
                  kind:
                    type: string
                    enum: [big, small]
                    nullable: true
                  limit:
                    $ref: '#/components/schemas/Limit'
                  owner:
                    $ref: '#/components/schemas/Owner'
                  count:
                    type: integer
                    minimum: 0
                    exclusiveMinimum: true
                  size:
                    type: string
                    format: megabytes
                  contact:
                    type: string
                    format: email
                  items:
                    type: array
                    items:
                      oneOf:
                        - type: integer
                        - type: string
                          enum: [none]
  /empty:
    get:
      responses:
        '204':
          description: nothing
components:
  schemas:
    Limit:
      example: unlimited
      oneOf:
        - type: string
          enum: [unlimited]
        - type: integer
          minimum: 0
    Owner:
      type: object
      required: [id]
      properties:
        id: { type: integer }
        limit: { $ref: '#/components/schemas/Limit' }
`;

const doc = parseOpenApi(SAMPLE, "sample.yaml");
const thing = responseValidator(doc, "/thing");

function paths(value: unknown): string[] {
  return thing.errorsOf(value).map((e) => e.instancePath);
}

describe("responseValidator on a hand-written OpenAPI 3.0 document", () => {
  it("accepts a conforming value and ignores example / x- keywords", () => {
    const ok = { name: "a", note: "n", kind: "big", limit: 5, owner: { id: 1, limit: "unlimited" }, count: 1, size: "12M", contact: "a@b.example", items: [1, "none"] };
    expect(thing.errorsOf(ok)).toEqual([]);
    expect(JSON.stringify(thing.schema)).not.toMatch(/example|x-vendor|nullable/);
  });

  it("nullable: true admits null (also into an enum); without it null is refused", () => {
    expect(thing.errorsOf({ note: null, kind: null })).toEqual([]);
    expect(paths({ name: null })).toEqual(["/name"]);
    expect(paths({ kind: "medium" })).toContain("/kind");
  });

  it("oneOf unlimited|integer accepts both forms and refuses a numeric string", () => {
    expect(thing.errorsOf({ limit: "unlimited" })).toEqual([]);
    expect(thing.errorsOf({ limit: 0 })).toEqual([]);
    expect(paths({ limit: "5" })).toContain("/limit");
    expect(paths({ limit: -1 })).toContain("/limit");
    expect(paths({ items: [1, "some"] })).toContain("/items/1");
  });

  it("follows $ref into components, including a $ref inside a referenced schema", () => {
    expect(paths({ owner: { limit: 1 } })).toContain("/owner");
    expect(paths({ owner: { id: 1, limit: "lots" } })).toContain("/owner/limit");
    expect(thing.schema.$defs).toHaveProperty("Limit");
  });

  it("turns 3.0 boolean exclusiveMinimum into the numeric bound", () => {
    expect(paths({ count: 0 })).toEqual(["/count"]);
    expect(thing.errorsOf({ count: 1 })).toEqual([]);
  });

  it("checks formats ajv-formats knows and accepts vendor formats it has no definition for", () => {
    expect(paths({ contact: "not an address" })).toEqual(["/contact"]);
    expect(thing.errorsOf({ size: "anything at all" })).toEqual([]);
  });

  it("describes errors with the value's path, the rule and the value found", () => {
    const text = describeErrors(thing.errorsOf({ limit: "5" }));
    expect(text).toContain("/limit");
    expect(text).toContain('found "5"');
  });

  it("names what is missing when the operation or the response is not documented", () => {
    expect(() => responseValidator(doc, "/nothing")).toThrow(/\/nothing get 200 application\/json in sample\.yaml: the document has no such response schema/);
    expect(() => responseValidator(doc, "/empty")).toThrow(/\/empty get 200/);
  });
});

describe("toJsonSchema refuses what it cannot translate faithfully", () => {
  it("an unknown keyword", () => {
    expect(() => toJsonSchema({ type: "string", maxLenght: 3 }, "s")).toThrow(/s\/maxLenght: "maxLenght" is neither JSON Schema nor a known OpenAPI keyword/);
  });

  it("a reference outside components.schemas", () => {
    expect(() => toJsonSchema({ $ref: "other.yaml#/X" }, "s")).toThrow(/only "#\/components\/schemas\/…" references are supported/);
  });

  it("nullable on a composed schema becomes anyOf [schema, null]", () => {
    expect(toJsonSchema({ $ref: "#/components/schemas/A", nullable: true }, "s")).toEqual({ anyOf: [{ $ref: "#/$defs/A" }, { type: "null" }] });
  });
});

describe("the recorded cPanel OpenAPI fixtures", () => {
  const dir = join(import.meta.dirname, "..", "fixtures", "whm-openapi");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));

  it("are all there", () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it.each(files)("%s: every GET 200 JSON response schema compiles", (file) => {
    const fixture = loadOpenApi(join(dir, file));
    const compiled = Object.keys(fixture.paths)
      .filter((p) => fixture.paths[p]?.get !== undefined)
      .map((p) => responseValidator(fixture, p).where);
    expect(compiled.length).toBeGreaterThan(0);
  });
});
