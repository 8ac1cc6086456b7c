/**
 * Keys of the two internal accessors that component-stats/cluster reads: a
 * tracker's raw timing windows and a registry's registered sources. They are
 * `Symbol.for` symbols, so that every copy of the package agrees on them (the ESM
 * and the CommonJS build, and each subpath's bundle, hold their own copy of this
 * module); and they are not exported from the package root, as they are not part of
 * its API.
 */

/** A tracker's `[TIMING_WINDOWS]()`: each operation's window samples, ascending, as copies. */
export const TIMING_WINDOWS: unique symbol = Symbol.for("component-stats.timing-windows");

/** A registry's `[REGISTERED_SOURCES]()`: each registered source by the name it is listed under. */
export const REGISTERED_SOURCES: unique symbol = Symbol.for("component-stats.registered-sources");
