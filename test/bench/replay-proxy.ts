/**
 * A recording front for one emulated server: the first time it sees a request (method, path,
 * SOAPAction and body) it forwards it to the emulator and keeps the answer; every later time it
 * answers from memory. A bench warms up once through it, and from then on the answers cost
 * what the least server costs: bytes already in memory, written to a socket. So a floor that
 * receives the same bytes measures the network and nothing of the emulator's own work.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ReplayProxy {
  url: string;
  /** Every distinct request seen, in the order first seen. */
  requests(): RecordedRequest[];
  /** How many requests went through to the emulator (were not answered from memory). */
  forwarded(): number;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

function plainHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name) && typeof value === "string") out[name] = value;
  return out;
}

async function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(target: URL, request: RecordedRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(request.body, "utf8");
    const req = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.path, headers: { ...request.headers, "content-length": body.length } },
      (res) => {
        readBody(res).then((answer) => resolve({ status: res.statusCode ?? 0, headers: plainHeaders(res.headers), body: answer }), reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Starts a front for the emulator at `target` (plain HTTP) on a free loopback port. */
export async function startReplayProxy(target: string): Promise<ReplayProxy> {
  const to = new URL(target);
  const answers = new Map<string, Promise<Answer>>();
  const seen: RecordedRequest[] = [];
  let forwarded = 0;
  const server = http.createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const request: RecordedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: plainHeaders(req.headers), body: body.toString("utf8") };
        const key = `${request.method} ${request.path} ${request.headers.soapaction ?? ""}\n${request.body}`;
        let answer = answers.get(key);
        if (answer === undefined) {
          forwarded++;
          seen.push(request);
          answer = forward(to, request);
          answers.set(key, answer);
        }
        const { status, headers, body: payload } = await answer;
        res.writeHead(status, { ...headers, "content-length": payload.length });
        res.end(payload);
      })
      .catch((err: unknown) => {
        res.writeHead(502);
        res.end(err instanceof Error ? err.message : String(err));
      });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${to.pathname}`,
    requests: () => seen.slice(),
    forwarded: () => forwarded,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
