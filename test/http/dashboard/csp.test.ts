import { describe, expect, it } from "vitest";
import { dashboardCsp } from "../../../src/http/dashboard/csp.js";

const SCRIPT = `sha256-${"A".repeat(43)}=`;
const STYLE = `sha256-${"b+/9".repeat(10)}xyz=`;

describe("dashboardCsp", () => {
  it("allows the inline script and style by hash, and nothing else to load or run", () => {
    const csp = dashboardCsp(SCRIPT, STYLE);
    const directives = new Map(
      csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(Object.fromEntries(directives)).toEqual({
      "default-src": "'none'",
      "script-src": `'${SCRIPT}'`,
      "style-src": `'${STYLE}'`,
      "connect-src": "'self'",
      "img-src": "data:",
      "base-uri": "'none'",
      "form-action": "'none'",
      "frame-ancestors": "'none'",
    });
  });

  it("rejects anything but a sha256 source, naming the argument", () => {
    expect(() => dashboardCsp("'unsafe-inline'", STYLE)).toThrow(/`scriptHash`/);
    expect(() => dashboardCsp(SCRIPT, "sha256-short=")).toThrow(/`styleHash`/);
    expect(() => dashboardCsp(SCRIPT, `${STYLE}; script-src *`)).toThrow(RangeError);
  });
});
