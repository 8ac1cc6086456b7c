import { createServer, type RequestListener, type Server } from "node:http";
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
export async function serve(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
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
