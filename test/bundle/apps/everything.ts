/**
 * A browser app that keeps every export of the package root (a namespace import read
 * as a whole defeats tree-shaking): the largest bundle a user can make of it.
 */
import * as componentStats from "component-stats";

/** Set by the test page's watch.js: writes `value` to the body's `data-<key>` attribute. */
declare function report(key: string, value: unknown): void;

report("exports", Object.keys(componentStats).sort().join(","));
report("done", true);
