/**
 * The plan bench's floor, run as its own node process like siteform: the least any tool must do
 * to plan the same fleet. It finds, reads and parses the same inventory YAML (no positions, no
 * checks) and then sends each server the same requests siteform sent and receives the same
 * answers as bytes, every server at once, without reading them. Arguments: the inventory
 * directory and a JSON file of the requests (replay-proxy.ts's records).
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { RecordedRequest } from "../replay-proxy.js";
import { readAndParseYaml } from "./read-yaml.js";

const [dir, requestsFile] = process.argv.slice(2);
if (dir === undefined || requestsFile === undefined) throw new Error("usage: plan-floor DIR REQUESTS.json");

await readAndParseYaml(dir);

const servers = JSON.parse(await readFile(requestsFile, "utf8")) as Array<{ url: string; requests: RecordedRequest[] }>;
const agent = new http.Agent({ keepAlive: true });
function receive(origin: URL, request: RecordedRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(request.body, "utf8");
    const req = http.request({ host: origin.hostname, port: origin.port, method: request.method, path: request.path, headers: { ...request.headers, "content-length": body.length }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks)));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
await Promise.all(servers.map(({ url, requests }) => Promise.all(requests.map((request) => receive(new URL(url), request)))));
agent.destroy();
