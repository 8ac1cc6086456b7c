/**
 * Bodies shorter than this are sent as they are: gzip's header and trailer (18 bytes)
 * and the client's work buy nothing on a short health answer. 1 KiB is the threshold
 * of Express's `compression` middleware.
 */
export const GZIP_MIN_BYTES = 1024;

/**
 * Whether an `Accept-Encoding` header value accepts gzip (RFC 9110 §12.5.3): `gzip`
 * or `x-gzip` listed with a weight above 0, or `*` with a weight above 0 when gzip is
 * not listed. A missing header accepts only the identity coding here: a client that
 * says nothing gets text.
 *
 * @param header - the header's value, or null/undefined when absent.
 * @returns true when a gzip body may be sent.
 */
export function acceptsGzip(header: string | null | undefined): boolean {
  if (typeof header !== "string" || header === "") return false;
  let gzipWeight: number | undefined;
  let anyWeight: number | undefined;
  for (const entry of header.split(",")) {
    const [codingPart = "", ...parameters] = entry.split(";");
    const coding = codingPart.trim().toLowerCase();
    if (coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    let weight = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=(.*)$/i.exec(parameter);
      // A weight that does not parse counts as 0: sending gzip to a client that may
      // have meant "not gzip" is worse than sending text.
      if (match !== null) weight = Number(match[1]?.trim() || Number.NaN) || 0;
    }
    if (coding === "*") anyWeight = Math.max(anyWeight ?? 0, weight);
    else gzipWeight = Math.max(gzipWeight ?? 0, weight);
  }
  return (gzipWeight ?? anyWeight ?? 0) > 0;
}

/** Whether this runtime has the Compression Streams API (Node 18+, Deno, Bun, browsers, Workers). */
export const canGzip = (): boolean => typeof CompressionStream === "function";

/**
 * Compresses bytes with gzip through the Compression Streams API. On Node the work
 * runs on libuv's thread pool, so a large body does not block the event loop while
 * it is compressed.
 *
 * @param bytes - the body.
 * @returns the gzip member.
 */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}
