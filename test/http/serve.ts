import {
  createServer,
  type RequestListener,
  request,
  type Server,
  type ServerOptions,
} from "node:http";
import type { AddressInfo } from "node:net";

/** A server on a free loopback port, and how to stop it. */
export interface Served {
  server: Server;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Starts `listener` on 127.0.0.1 port 0 (the kernel picks a free port). */
export async function serve(
  listener: RequestListener,
  options: ServerOptions = {},
): Promise<Served> {
  const server = createServer(options, listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What {@link send} sends: a method (GET by default) and headers. */
export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
}

/**
 * One request through `node:http`'s client, which (unlike `fetch`) sends the target
 * as written, adds no `Accept-Encoding` and decodes nothing: the answer is the bytes
 * the server wrote, as a `Response` so tests read it the way they read a fetch handler's.
 */
export function send(origin: string, path: string, init: SendInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    // `path` goes on the wire as written: a URL string would be resolved first.
    const req = request(
      { host: hostname, port, path, method: init.method ?? "GET", headers: init.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
          }
          const status = res.statusCode ?? 0;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers }));
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}
