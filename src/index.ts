export type {
  HealthBreakdown,
  HealthConfig,
  HealthInput,
  HealthOptions,
} from "./compute/health.js";
export { DEFAULT_HEALTH_CONFIG, resolveHealthConfig, scoreHealth } from "./compute/health.js";
export { percentileSorted } from "./compute/percentile.js";
export type {
  VerdictInput,
  VerdictOptions,
  VerdictResult,
  VerdictRules,
} from "./compute/verdict.js";
export {
  DEFAULT_VERDICT_RULES,
  judgeComponent,
  judgeRegistry,
  resolveVerdictRules,
} from "./compute/verdict.js";
export type { JsonExportOptions } from "./export/json.js";
export { exportJson } from "./export/json.js";
export type { PrometheusOptions, RenderPrometheusOptions } from "./export/prometheus.js";
export {
  DEFAULT_PROMETHEUS_PREFIX,
  encodePrometheus,
  formatPrometheus,
  PROMETHEUS_CONTENT_TYPE,
  renderPrometheus,
} from "./export/prometheus.js";
export { isSensitiveKey, REDACTED, redactSensitive } from "./export/redact.js";
export type { AccessDecision, Authorize } from "./http/authorize.js";
export type { FetchHandler, FetchHandlerOptions } from "./http/fetch-handler.js";
export { createFetchHandler } from "./http/fetch-handler.js";
export type { StatsHandlerOptions, StatsRequestHandler } from "./http/handler.js";
export { createStatsHandler } from "./http/handler.js";
export type { HandlerOptions } from "./http/options.js";
export type { StatsEndpoint } from "./http/routes.js";
export { requestTargetPath } from "./http/target.js";
export type { ComponentVerdict, HealthVerdict } from "./http/verdict.js";
export { healthVerdict } from "./http/verdict.js";
export { REGISTRY_RECENT_ERRORS, StatisticsRegistry } from "./registry/registry.js";
export type { StatsSource } from "./registry/source.js";
export { isStatsSource } from "./registry/source.js";
export type { VerdictChange } from "./registry/transitions.js";
export { VerdictTransitions } from "./registry/transitions.js";
export type {
  CollectionOutcome,
  ComponentReport,
  RegisterOptions,
  RegistryHealth,
  RegistryOptions,
  RegistrySnapshot,
  RegistryTotals,
} from "./registry/types.js";
export type { HealthWatcher, WatchHealthOptions } from "./registry/watch.js";
export { watchHealth } from "./registry/watch.js";
export type { Clock, ManualClock } from "./shared/clock.js";
export { manualClock, systemClock } from "./shared/clock.js";
export type { SanitizeLimits } from "./shared/sanitize.js";
export { DEFAULT_SANITIZE_LIMITS, sanitizeDetails } from "./shared/sanitize.js";
export { MAX_DURATION_MS, MAX_NAME_LENGTH } from "./shared/validate.js";
export { ErrorInfo, MAX_MESSAGE_LENGTH } from "./stores/error-info.js";
export { OVERFLOW_NAME } from "./stores/name-limit.js";
export { MAX_TIMING_BUCKETS } from "./stores/timing-histogram.js";
export type {
  TimingStoreOptions,
  TimingStoreOptions as PerformanceMetricsOptions,
} from "./stores/timing-store.js";
export {
  MAX_TIMING_WINDOW,
  TimingStore,
  TimingStore as PerformanceMetrics,
} from "./stores/timing-store.js";
export type { CallErrorHandler, TrackerCall } from "./tracker/call-failures.js";
export type { TrackerOptions } from "./tracker/options.js";
export type { StatisticsProvider } from "./tracker/provider.js";
export { isStatisticsProvider } from "./tracker/provider.js";
export type { LockedWriter } from "./tracker/tracker.js";
export { BaseStatisticsTracker, MEMORY_USAGE_TIMEOUT_MS } from "./tracker/tracker.js";
export type {
  ComponentStats,
  ErrorRecord,
  FoldedNames,
  RecentActivity,
  TimingSummary,
  Verdict,
} from "./types.js";
export {
  DEFAULT_TIMING_BUCKETS_MS,
  LIFETIME_SUMMARY_FIELDS,
  PERCENTILE_FIELDS,
  SUMMARY_FIELDS,
  SUMMARY_PERCENTILES,
} from "./types.js";
