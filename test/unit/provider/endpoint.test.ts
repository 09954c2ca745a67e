import { describe, expect, it } from "vitest";
import { STANDARD_PATH, withStandardPath } from "../../../src/providers/apiscp/endpoint.js";

describe("the ApisCP endpoint", () => {
  it("is the standard path when the URL has none, and exactly as written otherwise", () => {
    expect(STANDARD_PATH).toBe("/soap");
    expect(withStandardPath("https://fra1.example.net:2083")).toBe("https://fra1.example.net:2083/soap");
    expect(withStandardPath("https://fra1.example.net:2083/")).toBe("https://fra1.example.net:2083/soap");
    expect(withStandardPath("http://[::1]:2082")).toBe("http://[::1]:2082/soap");
    expect(withStandardPath("https://fra1.example.net:2083/soap")).toBe("https://fra1.example.net:2083/soap");
    expect(withStandardPath("https://proxy.example.net/apiscp/fra1/soap")).toBe("https://proxy.example.net/apiscp/fra1/soap");
    expect(withStandardPath("not a url")).toBe("not a url");
  });
});
