/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/** Keys whose values are redacted, compared case-insensitively. */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  "password",
  "secret",
  "token",
  "api_key",
  "apikey",
  "authorization",
  "auth_token",
  "session_token",
  "access_token",
  "refresh_token",
  "account_id",
  "account_number",
]);

/**
 * Whether a key names a sensitive value: one of `password`, `secret`, `token`,
 * `api_key`, `apikey`, `authorization`, `auth_token`, `session_token`,
 * `access_token`, `refresh_token`, `account_id`, `account_number`, or a key ending
 * in `_token` or `_secret`, compared case-insensitively.
 *
 * The key is also compared in snake_case, with camelCase split and `-` read as `_`,
 * because error details from JavaScript code spell the same keys `accessToken`,
 * `clientSecret` or `refresh-token`; all three are redacted. A run of capitals is a
 * word of its own, ended by the capital that starts the next word, so `CSRFToken`,
 * `APIKey` and `AWSSecret` read as `csrf_token`, `api_key` and `aws_secret` (a key
 * that ends in capitals, such as `CSRFTOKEN`, cannot be split and is read as one word).
 *
 * @param key - an object key.
 * @returns true when values under it must not be exported.
 */
export function isSensitiveKey(key: string): boolean {
  const lower = key.toLowerCase();
  const snake = key
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/-/g, "_");
  return [lower, snake].some(
    (form) => SENSITIVE_KEYS.has(form) || form.endsWith("_token") || form.endsWith("_secret"),
  );
}

/**
 * A copy of plain data in which the value of every sensitive key (see
 * {@link isSensitiveKey}), at any depth and inside arrays, is `"[REDACTED]"`,
 * whatever it was (an object under `authorization` is replaced whole).
 * A cycle is cut with `"[Circular]"`.
 *
 * Keys are also read in a list of `[key, value]` pairs, the form in which error details
 * record a `Map` (see {@link sanitizeDetails}) and which `Object.entries` gives: in a
 * list whose items are all two-item arrays (a last string, such as `"… 3 more items"`,
 * aside), a pair whose first item is a sensitive key keeps `"[REDACTED]"` as its second.
 *
 * @param value - plain data, such as an error record's `details`.
 * @returns the redacted copy; `value` itself is not changed.
 * @example
 * ```ts
 * redactSensitive({ user: "ann", headers: { Authorization: "Bearer x" } });
 * // { user: "ann", headers: { Authorization: "[REDACTED]" } }
 * ```
 */
export function redactSensitive(value: unknown): unknown {
  return redact(value, new Set());
}

function redact(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) return "[Circular]";
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      if (!isPairList(value)) return value.map((item) => redact(item, ancestors));
      return value.map((item) =>
        Array.isArray(item) && typeof item[0] === "string" && isSensitiveKey(item[0])
          ? [item[0], REDACTED]
          : redact(item, ancestors),
      );
    }
    // Object.fromEntries defines keys as own data properties, so a key named
    // `__proto__` stays data instead of replacing the copy's prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        isSensitiveKey(key) ? REDACTED : redact(item, ancestors),
      ]),
    );
  } finally {
    ancestors.delete(value);
  }
}

/**
 * Whether a list reads as a Map's entries: every item a two-item array, except perhaps a
 * last string, which is how a sanitised list says what it left out.
 */
function isPairList(list: readonly unknown[]): boolean {
  if (list.length === 0) return false;
  return list.every(
    (item, i) =>
      (Array.isArray(item) && item.length === 2) ||
      (i === list.length - 1 && i > 0 && typeof item === "string"),
  );
}
