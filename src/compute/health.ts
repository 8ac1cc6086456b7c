import { checkFinite, checkString, describeValue } from "../shared/validate.js";

/** How the health score weighs and scales its four factors. */
export interface HealthConfig {
  /** Weight of each factor; each >= 0, summing to 1. */
  weights: { errors: number; uptime: number; activity: number; status: number };
  /** Error-rate scale: 1% errors costs 10 points of the error factor at 1000. */
  errorRateMultiplier: number;
  /** Uptime at which the uptime factor reaches 100, in milliseconds. */
  uptimeForFullScoreMs: number;
  /** Time without activity after which the activity factor reaches 0, in milliseconds. */
  activityDecayMs: number;
  /** Status factor per status. */
  statusScores: Record<string, number>;
  /** Status factor of a status missing from `statusScores`. */
  unknownStatusScore: number;
  /** Which counters count as operations for the error rate; all counters when absent. */
  operationCounters?: string[];
}

/**
 * Changes to {@link DEFAULT_HEALTH_CONFIG}, as a tracker's `health` option takes them:
 * any of {@link HealthConfig}'s fields; one left out or `undefined` keeps its default.
 */
export type HealthOptions = { [K in keyof HealthConfig]?: HealthConfig[K] | undefined };

/** What the health score is computed from. */
export interface HealthInput {
  /** Errors tracked. */
  errorCount: number;
  /** Operations performed (the sum of the operation counters). */
  operationCount: number;
  /** Time since the component was created, in milliseconds. */
  uptimeMs: number;
  /** Time since the last write, in milliseconds; `null` when never active. */
  msSinceLastActivity: number | null;
  /** The component's status. */
  status: string;
}

/** The health score and the factor scores it was computed from, each 0..100. */
export interface HealthBreakdown {
  /** Weighted sum of the factors, rounded to one decimal. */
  score: number;
  /** Error-rate factor. */
  errors: number;
  /** Uptime factor. */
  uptime: number;
  /** Recent-activity factor. */
  activity: number;
  /** Status factor. */
  status: number;
}

/** The original module's scoring: weights 0.4/0.2/0.2/0.2, full uptime at 10 h, activity decaying over 10 min. */
export const DEFAULT_HEALTH_CONFIG: Readonly<HealthConfig> = Object.freeze({
  weights: Object.freeze({ errors: 0.4, uptime: 0.2, activity: 0.2, status: 0.2 }),
  errorRateMultiplier: 1000,
  uptimeForFullScoreMs: 36_000_000,
  activityDecayMs: 600_000,
  statusScores: Object.freeze({
    connected: 100,
    active: 100,
    initializing: 70,
    disconnected: 30,
    error: 0,
  }),
  unknownStatusScore: 50,
}) as Readonly<HealthConfig>;

/** Clamps to 0..100; a non-finite factor (from a broken input) counts as 0. */
export function clampScore(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, value));
}

/** Rounds to one decimal, half away from zero, as the score is reported everywhere. */
export function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Computes the health score. Pure: the same input and config give the same result.
 *
 * - errors: operations > 0 ? 100 - errorCount / operations * errorRateMultiplier : (no errors ? 100 : 0)
 * - uptime: uptimeMs / uptimeForFullScoreMs * 100
 * - activity: never active ? 0 : 100 - msSinceLastActivity / activityDecayMs * 100
 * - status: statusScores[status] ?? unknownStatusScore
 *
 * Each factor is clamped to 0..100; `score` is their weighted sum rounded to one decimal.
 *
 * @param input - the component's counts and times.
 * @param config - weights and scales.
 * @returns the score and its factors.
 * @example
 * ```ts
 * scoreHealth({ errorCount: 0, operationCount: 0, uptimeMs: 0, msSinceLastActivity: null, status: "initializing" }).score; // 54
 * ```
 */
export function scoreHealth(
  input: HealthInput,
  config: Readonly<HealthConfig> = DEFAULT_HEALTH_CONFIG,
): HealthBreakdown {
  const { errorCount, operationCount, uptimeMs, msSinceLastActivity, status } = input;
  const errors = clampScore(
    operationCount > 0
      ? 100 - (errorCount / operationCount) * config.errorRateMultiplier
      : errorCount === 0
        ? 100
        : 0,
  );
  const uptime = clampScore((uptimeMs / config.uptimeForFullScoreMs) * 100);
  const activity =
    msSinceLastActivity === null
      ? 0
      : clampScore(100 - (msSinceLastActivity / config.activityDecayMs) * 100);
  const statusScore = Object.hasOwn(config.statusScores, status)
    ? (config.statusScores[status] as number)
    : config.unknownStatusScore;
  const statusFactor = clampScore(statusScore);
  const { weights } = config;
  const score = roundToTenth(
    clampScore(
      errors * weights.errors +
        uptime * weights.uptime +
        activity * weights.activity +
        statusFactor * weights.status,
    ),
  );
  return { score, errors, uptime, activity, status: statusFactor };
}

const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * Merges a partial config over {@link DEFAULT_HEALTH_CONFIG} and checks it.
 *
 * @param partial - the options to change; `weights` and `statusScores` merge key by key.
 * @returns a frozen, complete config.
 * @throws TypeError or RangeError naming the option (`health.weights.errors`, …) when a value is not valid.
 */
export function resolveHealthConfig(partial: HealthOptions = {}): Readonly<HealthConfig> {
  if (typeof partial !== "object" || partial === null) {
    throw new TypeError(`Expected \`health\` to be an object, got ${describeValue(partial)}`);
  }
  // Spreading a number, null or an array would silently fall back to the defaults.
  for (const option of ["weights", "statusScores"] as const) {
    const value: unknown = partial[option];
    if (
      value !== undefined &&
      (typeof value !== "object" || value === null || Array.isArray(value))
    ) {
      throw new TypeError(
        `Expected \`health.${option}\` to be an object, got ${describeValue(value)}`,
      );
    }
  }
  const weights = { ...DEFAULT_HEALTH_CONFIG.weights, ...partial.weights };
  let weightSum = 0;
  for (const factor of ["errors", "uptime", "activity", "status"] as const) {
    const weight = weights[factor];
    checkFinite(weight, `health.weights.${factor}`);
    if (weight < 0) {
      throw new RangeError(
        `Expected \`health.weights.${factor}\` to be >= 0, got ${describeValue(weight)}`,
      );
    }
    weightSum += weight;
  }
  if (Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new RangeError(`Expected \`health.weights\` to sum to 1, got ${weightSum}`);
  }
  // Only an absent option takes its default: `null` is bad input like any other non-number.
  const pick = <K extends keyof HealthConfig>(key: K): HealthConfig[K] =>
    partial[key] === undefined ? DEFAULT_HEALTH_CONFIG[key] : (partial[key] as HealthConfig[K]);
  const config: HealthConfig = {
    weights: Object.freeze(weights),
    errorRateMultiplier: pick("errorRateMultiplier"),
    uptimeForFullScoreMs: pick("uptimeForFullScoreMs"),
    activityDecayMs: pick("activityDecayMs"),
    statusScores: Object.freeze({ ...DEFAULT_HEALTH_CONFIG.statusScores, ...partial.statusScores }),
    unknownStatusScore: pick("unknownStatusScore"),
  };
  checkFinite(config.errorRateMultiplier, "health.errorRateMultiplier");
  if (config.errorRateMultiplier < 0) {
    // A negative multiplier would make errors raise the score.
    throw new RangeError(
      `Expected \`health.errorRateMultiplier\` to be >= 0, got ${describeValue(config.errorRateMultiplier)}`,
    );
  }
  checkPositive(config.uptimeForFullScoreMs, "health.uptimeForFullScoreMs");
  checkPositive(config.activityDecayMs, "health.activityDecayMs");
  checkFinite(config.unknownStatusScore, "health.unknownStatusScore");
  for (const [status, score] of Object.entries(config.statusScores)) {
    checkFinite(score, `health.statusScores.${status}`);
  }
  if (partial.operationCounters !== undefined) {
    if (!Array.isArray(partial.operationCounters)) {
      throw new TypeError(
        `Expected \`health.operationCounters\` to be an array of strings, got ${describeValue(partial.operationCounters)}`,
      );
    }
    partial.operationCounters.forEach((name, i) => {
      checkString(name, `health.operationCounters[${i}]`);
    });
    config.operationCounters = Object.freeze([...partial.operationCounters]) as string[];
  }
  return Object.freeze(config);
}

function checkPositive(value: unknown, argument: string): void {
  checkFinite(value, argument);
  if (value <= 0) {
    throw new RangeError(
      `Expected \`${argument}\` to be a finite number > 0, got ${describeValue(value)}`,
    );
  }
}
