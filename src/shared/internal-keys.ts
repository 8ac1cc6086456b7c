/**
 * Keys of internal accessors: a tracker's raw timing windows and a registry's
 * registered sources, which component-stats/cluster reads, and a tracker's
 * snapshot for a caller that keeps it, which a registry reads. They are
 * `Symbol.for` symbols, so that every copy of the package agrees on them (the ESM
 * and the CommonJS build, and each subpath's bundle, hold their own copy of this
 * module); and they are not exported from the package root, as they are not part of
 * its API.
 */

/** A tracker's `[TIMING_WINDOWS]()`: each operation's window samples, ascending, as copies. */
export const TIMING_WINDOWS: unique symbol = Symbol.for("component-stats.timing-windows");

/** A registry's `[REGISTERED_SOURCES]()`: each registered source by the name it is listed under. */
export const REGISTERED_SOURCES: unique symbol = Symbol.for("component-stats.registered-sources");

/**
 * A tracker's `[OWNED_STATS]()`: what `getStats()` returns, for a caller that keeps
 * the object (a registry): a fresh snapshot is handed over uncopied and not cached.
 */
export const OWNED_STATS: unique symbol = Symbol.for("component-stats.owned-stats");
