import { connect, type Socket } from "node:net";

/** What came back on a raw connection: status 0 when the server closed without an answer. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything received, as latin1 text. */
  raw: string;
}

/** Opens a TCP connection to 127.0.0.1:`port`. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Reads until the server closes the connection, and parses one HTTP/1.1 answer. */
export function readAnswer(socket: Socket): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A reset is an answer too: "closed without data".
    socket.on("error", () => {});
    socket.on("close", () => resolve(parseAnswer(Buffer.concat(chunks).toString("latin1"))));
  });
}

/**
 * Writes `head` exactly as given (the request line and headers, without the final
 * blank line) plus `Connection: close`, and reads the answer. Nothing is normalised:
 * this is how dot segments, backslashes and bad escapes reach a server unchanged.
 */
export async function rawRequest(port: number, head: string): Promise<RawAnswer> {
  const socket = await openSocket(port);
  const answer = readAnswer(socket);
  socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, "latin1");
  return answer;
}

/** `METHOD target HTTP/1.1` with extra header lines. */
export const requestHead = (method: string, target: string, headers: string[] = []): string =>
  [`${method} ${target} HTTP/1.1`, ...headers].join("\r\n");

function parseAnswer(raw: string): RawAnswer {
  const end = raw.indexOf("\r\n\r\n");
  if (!raw.startsWith("HTTP/1.1 ") || end === -1) return { status: 0, headers: {}, body: "", raw };
  const [statusLine = "", ...lines] = raw.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: raw.slice(end + 4), raw };
}
