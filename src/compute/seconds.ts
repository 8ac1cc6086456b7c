/**
 * Milliseconds as the seconds the exporters write: Prometheus and OpenTelemetry
 * count time in seconds, and the tracker in milliseconds.
 */

/**
 * Milliseconds to seconds, rounded to 15 significant digits when the quotient needs
 * more: 0.425 ms / 1000 is 0.00042500000000000003 in binary floating point, and
 * 9192.245 ms / 1000 is 9.192245000000002; the exposition should say 0.000425 and
 * 9.192245. Fifteen digits are all a double holds reliably.
 */
export function msToSeconds(ms: number): number {
  const seconds = ms / 1000;
  return hasMoreThan15Digits(String(seconds)) ? Number(seconds.toPrecision(15)) : seconds;
}

/** {@link msToSeconds} as the text `String` writes for it: what the Prometheus exposition shows. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  const text = String(seconds);
  return hasMoreThan15Digits(text) ? String(Number(seconds.toPrecision(15))) : text;
}

/**
 * Whether a number's `String` text has more than 15 significant digits: digits of the
 * mantissa (before any `e`), not counting the zeros that only place the point.
 */
export function hasMoreThan15Digits(text: string): boolean {
  // Up to 15 characters hold at most 15 digits.
  if (text.length <= 15) return false;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x65 /* e */) break;
    if (code >= 0x31 /* 1 */ && code <= 0x39) digits++;
    else if (code === 0x30 /* 0 */ && digits > 0) digits++;
  }
  return digits > 15;
}
