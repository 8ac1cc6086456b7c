/**
 * `component-stats/runtime`: the Node.js process as a component. Kept out of the
 * package root, which imports no Node built-in and runs anywhere JavaScript does.
 *
 * @packageDocumentation
 */
export type { DelaySlice, DelaySummary } from "./delay-window.js";
export { mergeDelaySlices } from "./delay-window.js";
export type { RuntimeStatsOptions } from "./runtime-stats.js";
export { DEFAULT_MAX_EVENT_LOOP_DELAY_MS, RuntimeStats } from "./runtime-stats.js";
