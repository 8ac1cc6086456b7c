/**
 * A copy of `text` that shares no memory with the string it came from.
 *
 * V8 represents `huge.slice(0, 100)` (any substring of 13 or more characters) as a
 * view into `huge`, and `a + b` as a pair of references, so keeping a short string
 * can keep a huge one alive: an error message cut from a 10 MB response body, or a
 * metric name sliced out of a large message, would pin the whole body for as long as
 * the tracker holds it. A tracker keeps names and error records for its lifetime, so
 * whatever it stores long-term passes through here first.
 *
 * Appending a character makes a cons string, and slicing a cons string makes V8
 * flatten it into a fresh sequential string first; the result is a view of that
 * fresh copy only (`text.length + 1` characters). Strings of 12 characters or fewer
 * are copied outright by the concatenation.
 *
 * @param text - any string.
 * @returns an equal string holding no reference to `text`'s storage.
 */
export function copyString(text: string): string {
  return `${text} `.slice(0, -1);
}
