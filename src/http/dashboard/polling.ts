/**
 * When and where the page polls. Pure: the page reads its settings from the body's
 * data attributes and asks these functions for the URL and the delays.
 */

/** Longest wait between two polls while `stats` keeps failing. */
export const MAX_RETRY_DELAY_MS = 30_000;
/** Shortest time a poll may take before it is aborted. */
export const MIN_REQUEST_TIMEOUT_MS = 5000;

/** The page's settings. */
export interface PageSettings {
  /** The poll interval. */
  pollMs: number;
  /** The span the charts show. */
  historyMs: number;
}

/**
 * The settings from the body's `data-poll-interval-ms` and `data-history-ms`, with
 * the handler's defaults for anything missing or not a positive number.
 *
 * @param pollAttribute - the poll interval attribute.
 * @param historyAttribute - the history attribute.
 * @returns the settings.
 */
export function pageSettings(
  pollAttribute: string | null,
  historyAttribute: string | null,
): PageSettings {
  const positive = (text: string | null, fallback: number): number => {
    const value = Number(text);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return { pollMs: positive(pollAttribute, 1000), historyMs: positive(historyAttribute, 300_000) };
}

/**
 * Where the page fetches its data: `stats` relative to the page's own path, so the
 * dashboard works under any mount path (`/` → `/stats`, `/admin` → `/admin/stats`).
 *
 * @param pathname - `location.pathname`.
 * @returns the path to fetch.
 */
export function statsUrl(pathname: string): string {
  return `${pathname.endsWith("/") ? pathname : `${pathname}/`}stats`;
}

/**
 * The wait before the next poll: the interval, doubled per consecutive failure up to
 * {@link MAX_RETRY_DELAY_MS}, so a server that is down is not hammered.
 *
 * @param pollMs - the poll interval.
 * @param failures - consecutive failed polls.
 * @returns milliseconds.
 */
export function nextPollDelayMs(pollMs: number, failures: number): number {
  return failures > 0 ? Math.min(pollMs * 2 ** failures, MAX_RETRY_DELAY_MS) : pollMs;
}

/**
 * How long one poll may take before it is aborted.
 *
 * @param pollMs - the poll interval.
 * @returns three intervals, at least {@link MIN_REQUEST_TIMEOUT_MS}.
 */
export function requestTimeoutMs(pollMs: number): number {
  return Math.max(MIN_REQUEST_TIMEOUT_MS, pollMs * 3);
}
