/**
 * Whether two plain-data values (what `JSON.stringify` round-trips: objects, arrays,
 * strings, numbers, booleans, null) hold the same content. Numbers compare with
 * `Object.is`, so `NaN` equals `NaN`; key order does not matter; values of other
 * kinds compare by identity.
 *
 * @param a - plain data.
 * @param b - plain data.
 * @returns true when `a` and `b` have the same content.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameData(left[key], right[key]));
}
