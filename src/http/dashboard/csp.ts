/**
 * The dashboard page's Content-Security-Policy. scripts/build-dashboard.ts calls this
 * with the hashes of the built assets and writes the result into the generated
 * module as a plain string, so nothing is computed for the page at run time.
 */

/**
 * The policy: the inline script and style are allowed by their hashes and nothing
 * else runs or loads; the page may connect only to its own origin, so a browser
 * enforces that the dashboard fetches nothing from outside, whatever a snapshot
 * contains; no base URL, form target or framing.
 *
 * @param scriptHash - the inline script's hash source, `sha256-…`.
 * @param styleHash - the inline stylesheet's hash source.
 * @returns the header's value.
 * @throws RangeError when a hash is not a `sha256-` source of a 32-byte digest.
 */
export function dashboardCsp(scriptHash: string, styleHash: string): string {
  for (const [name, hash] of [
    ["scriptHash", scriptHash],
    ["styleHash", styleHash],
  ] as const) {
    if (!/^sha256-[A-Za-z0-9+/]{43}=$/.test(hash)) {
      throw new RangeError(
        `Expected \`${name}\` to be a sha256- hash source, got ${JSON.stringify(hash)}`,
      );
    }
  }
  return [
    "default-src 'none'",
    `script-src '${scriptHash}'`,
    `style-src '${styleHash}'`,
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
