import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BAND_RADIUS,
  bandArcs,
  gaugeArc,
  gaugePoint,
  needle,
  VALUE_RADIUS,
  valueArc,
} from "../../../src/http/dashboard/gauge-geometry.js";

const CENTRE = { x: 60, y: 62 };

describe("gaugePoint", () => {
  it("puts 0 at the left, 50 at the top and 100 at the right of the half circle", () => {
    expect(gaugePoint(0, 44)).toEqual({ x: "16.00", y: "62.00" });
    expect(gaugePoint(50, 44)).toEqual({ x: "60.00", y: "18.00" });
    expect(gaugePoint(100, 44)).toEqual({ x: "104.00", y: "62.00" });
  });

  it("clamps values outside 0..100", () => {
    expect(gaugePoint(-20, 44)).toEqual(gaugePoint(0, 44));
    expect(gaugePoint(150, 44)).toEqual(gaugePoint(100, 44));
  });

  it("stays on its circle, above the centre line, moving clockwise as the value grows", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (a, b) => {
          const p = gaugePoint(a, 44);
          const distance = Math.hypot(Number(p.x) - CENTRE.x, Number(p.y) - CENTRE.y);
          expect(Math.abs(distance - 44)).toBeLessThan(0.01);
          expect(Number(p.y)).toBeLessThanOrEqual(CENTRE.y);
          if (a < b) expect(Number(gaugePoint(b, 44).x)).toBeGreaterThanOrEqual(Number(p.x));
        },
      ),
    );
  });
});

describe("gaugeArc", () => {
  it("draws a clockwise arc from one value to another", () => {
    expect(gaugeArc(0, 100, 44)).toBe("M 16.00 62.00 A 44 44 0 0 1 104.00 62.00");
    expect(gaugeArc(50, 50, 44)).toBe("");
    expect(gaugeArc(60, 40, 44)).toBe("");
  });

  it("shows a sliver for a score of 0, so the arc is never empty", () => {
    expect(valueArc(0)).toMatch(/^M 16\.00 62\.00 A 44 44 0 0 1 /);
    expect(valueArc(0)).toBe(gaugeArc(0, 0.5, VALUE_RADIUS));
    expect(valueArc(78.2)).toBe(gaugeArc(0, 78.2, VALUE_RADIUS));
  });
});

describe("bandArcs", () => {
  it("splits the outer circle at 40 and the threshold", () => {
    expect(bandArcs(70)).toEqual([
      gaugeArc(0, 40, BAND_RADIUS),
      gaugeArc(40, 70, BAND_RADIUS),
      gaugeArc(70, 100, BAND_RADIUS),
    ]);
    const [, warn] = bandArcs(30);
    expect(warn).toBe(""); // no warn band below a threshold of 40
  });
});

describe("needle", () => {
  it("points along the score's radius", () => {
    const { inner, outer } = needle(50);
    expect(inner).toEqual({ x: "60.00", y: "32.00" });
    expect(outer).toEqual({ x: "60.00", y: "4.00" });
  });
});
