/**
 * The control: code generation, which `script-src 'self'` forbids. The test expects a
 * violation here, which shows that the violation watch would see one in the apps.
 */
export {};

/** Set by the test page's watch.js: writes `value` to the body's `data-<key>` attribute. */
declare function report(key: string, value: unknown): void;

try {
  report("evaluated", new Function("return 1")());
} catch (error) {
  report("refused", error instanceof Error ? error.name : String(error));
}
report("done", true);
