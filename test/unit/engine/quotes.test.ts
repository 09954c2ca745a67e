import { describe, expect, it } from "vitest";
import { withQuotes } from "../../../src/engine/quotes.js";
import type { Op } from "../../../src/model/op.js";
import { ProviderError, type Provider } from "../../../src/providers/provider.js";
import { FakeProvider } from "../applier/fake-provider.js";
import { op, plan } from "../applier/ops.js";

/** A fake panel that quotes each op it is asked about, or refuses the ones named. */
class QuotingProvider extends FakeProvider {
  readonly asked: string[] = [];
  constructor(
    server: string,
    private readonly refuse: readonly string[] = [],
  ) {
    super(server);
  }
  async quote(o: Op): Promise<readonly string[]> {
    this.asked.push(o.id);
    if (this.refuse.includes(o.target.name)) throw new ProviderError("rejected", `bm1: no such service ${o.target.name}`, false);
    return [`costs 10.00 for ${o.target.name}`];
  }
}

describe("withQuotes", () => {
  it("asks the panel about paid ops only and adds its lines after the planner's notes", async () => {
    const panel = new QuotingProvider("fra1");
    const paid: Op = { ...op("create", "paid.example"), paid: true, notes: ["the planner's note"] };
    const free = op("update", "free.example");
    const quoted = await withQuotes(plan([paid, free]), new Map<string, Provider>([["fra1", panel]]));
    expect(panel.asked).toEqual([paid.id]);
    expect(quoted.ops[0]?.notes).toEqual(["the planner's note", "costs 10.00 for paid.example"]);
    expect(quoted.ops[1]).toBe(free);
  });

  it("keeps the plan when a preview fails, saying so beside the op", async () => {
    const panel = new QuotingProvider("fra1", ["gone.example"]);
    const paid: Op = { ...op("renew", "gone.example"), paid: true };
    const quoted = await withQuotes(plan([paid]), new Map<string, Provider>([["fra1", panel]]));
    expect(quoted.ops).toHaveLength(1);
    expect(quoted.ops[0]?.notes).toEqual(["no price preview: bm1: no such service gone.example"]);
  });

  it("leaves ops of a panel without previews as they are", async () => {
    const fra1 = new FakeProvider("fra1");
    const paid: Op = { ...op("create", "paid.example"), paid: true };
    const quoted = await withQuotes(plan([paid]), new Map<string, Provider>([["fra1", fra1]]));
    expect(quoted.ops[0]).toBe(paid);
  });
});
