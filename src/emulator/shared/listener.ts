/**
 * An emulator's HTTP(S) listener and its lifecycle, whatever the panel's protocol: listen on one
 * address, hand every request to the emulator's router, keep-alive on, and stop for real: no new
 * connections, every socket (idle keep-alive ones too) closed, calls still sleeping in a knob's
 * latency cancelled through the signal, and the close awaited until no call is running. A
 * router that throws gets a 500 (or a destroyed socket once headers went out); it never
 * crashes the process.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { plain } from "./response.js";
import type { TlsMaterial } from "./tls.js";

/** Serves one request; `signal` aborts when the emulator stops. */
export type Router = (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void>;

export interface ListenOptions {
  host: string;
  port: number;
  tls: TlsMaterial | undefined;
  route: Router;
  log: (line: string) => void;
}

export interface ListenerHandle {
  port: number;
  /** Idempotent. Resolves when the listener and every connection are closed and no call is running. */
  close(): Promise<void>;
}

export async function listen(options: ListenOptions): Promise<ListenerHandle> {
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const done = options.route(req, res, stopping.signal).catch((err: unknown) => {
      options.log(`emulator: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) plain(res, 500, "Internal Server Error\n");
      else res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A TLS handshake gone wrong (a client that distrusts the certificate) is the client's
  // business; without a listener node would treat it as an unhandled error.
  server.on("tlsClientError", () => undefined);

  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= (async () => {
        stopping.abort();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // close() alone waits for idle keep-alive sockets to time out; these end them now.
        server.closeAllConnections();
        await Promise.allSettled([...inFlight]);
        await closed;
      })();
      return closing;
    },
  };
}
