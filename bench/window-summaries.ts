/**
 * Window summaries in and out of cache: what one summary of a full 1000-sample
 * window costs after one new sample, for 50 windows (they stay in the CPU's cache)
 * and for 5000 (a scrape of 100 components × 50 operations: 50 MB of windows).
 *
 *   node --import tsx bench/window-summaries.ts
 *
 * Prints the best of 100 passes (at least 20) for each count, in ns per summary:
 * the gap between the two is time spent waiting on memory.
 */
import { DEFAULT_BOUNDS, TimingHistogram } from "../src/stores/timing-histogram.js";
import { TimingWindow } from "../src/stores/timing-window.js";
import { SampleStream } from "./data.js";

const WINDOW = 1000;
const stream = new SampleStream();

for (const windows of [50, 5000]) {
  const pairs = Array.from({ length: windows }, () => {
    const window = new TimingWindow(WINDOW);
    const lifetime = new TimingHistogram(DEFAULT_BOUNDS);
    for (let i = 0; i < WINDOW; i++) window.record(stream.next());
    window.summary(lifetime);
    return { window, lifetime };
  });
  let bestNs = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < Math.max(20, 100_000 / windows); pass++) {
    for (const { window } of pairs) window.record(stream.next());
    const startMs = performance.now();
    for (const { window, lifetime } of pairs) window.summary(lifetime);
    bestNs = Math.min(bestNs, ((performance.now() - startMs) * 1e6) / windows);
  }
  console.log(
    `${String(windows).padStart(5)} windows × ${WINDOW} samples, 1 new sample each: ${bestNs.toFixed(0)} ns per summary`,
  );
}
