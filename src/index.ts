export type { Clock, ManualClock } from "./clock.js";
export { manualClock, systemClock } from "./clock.js";
export type { ErrorRecord } from "./error-info.js";
export { ErrorInfo, MAX_MESSAGE_LENGTH } from "./error-info.js";
export type { JsonExportOptions } from "./export/json.js";
export { exportJson } from "./export/json.js";
export type { PrometheusOptions, RenderPrometheusOptions } from "./export/prometheus.js";
export {
  DEFAULT_PROMETHEUS_PREFIX,
  formatPrometheus,
  PROMETHEUS_CONTENT_TYPE,
  renderPrometheus,
} from "./export/prometheus.js";
export { isSensitiveKey, REDACTED, redactSensitive } from "./export/redact.js";
export type { HealthBreakdown, HealthConfig, HealthInput } from "./health.js";
export { DEFAULT_HEALTH_CONFIG, resolveHealthConfig, scoreHealth } from "./health.js";
export type { StatsHandlerOptions, StatsRequestHandler } from "./http/handler.js";
export { createStatsHandler } from "./http/handler.js";
export { OVERFLOW_NAME } from "./name-limit.js";
export { percentileSorted, SUMMARY_PERCENTILES } from "./percentile.js";
export type { PerformanceMetricsOptions } from "./performance-metrics.js";
export { MAX_TIMING_WINDOW, PerformanceMetrics } from "./performance-metrics.js";
export type { StatisticsProvider } from "./provider.js";
export { isStatisticsProvider } from "./provider.js";
export { REGISTRY_RECENT_ERRORS, StatisticsRegistry } from "./registry/registry.js";
export type {
  CollectionOutcome,
  ComponentReport,
  RegisterOptions,
  RegistryHealth,
  RegistryOptions,
  RegistrySnapshot,
  RegistryTotals,
} from "./registry/types.js";
export type { SanitizeLimits } from "./sanitize.js";
export { DEFAULT_SANITIZE_LIMITS, sanitizeDetails } from "./sanitize.js";
export type { ComponentStats, FoldedNames } from "./stats.js";
export type { TimingSummary } from "./timing-window.js";
export type { LockedWriter, TrackerOptions } from "./tracker.js";
export { BaseStatisticsTracker, MEMORY_USAGE_TIMEOUT_MS } from "./tracker.js";
export { MAX_NAME_LENGTH } from "./validate.js";
