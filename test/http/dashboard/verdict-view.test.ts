import { describe, expect, it } from "vitest";
import { TONE_COLOURS } from "../../../src/http/dashboard/tone.js";
import {
  componentVerdictView,
  DEFAULT_THRESHOLD,
  overallView,
  recentView,
  thresholdOf,
} from "../../../src/http/dashboard/verdict-view.js";
import type { ShownSnapshot } from "../../../src/http/dashboard/wire.js";
import { servedWithoutVerdicts, servedWithVerdicts } from "./fixtures.js";

describe("overallView", () => {
  it("shows a snapshot without verdicts as before: score, healthy/unhealthy, totals", () => {
    const view = overallView(servedWithoutVerdicts(), "Trading");
    expect(view).toMatchObject({
      score: 54,
      scoreText: "54.0",
      scoreColour: TONE_COLOURS.warn,
      verdictText: "unhealthy",
      verdictTone: "bad",
      healthy: false,
      reasons: [],
      scoresText: "lowest 54.0 \u00b7 weighted mean 65.0 \u00b7 threshold 70.0",
      totalsText:
        "2 components \u00b7 0 failed \u00b7 1 errors \u00b7 100 operations \u00b7 0.02 MB",
      updatedText: `updated ${new Date(Date.UTC(2024, 4, 1, 12)).toLocaleTimeString()}`,
      documentTitle: "54.0 UNHEALTHY \u2013 Trading",
    });
    expect(view.verdict).toBeUndefined();
  });

  it("shows healthy from `healthy` when there is no verdict", () => {
    const snapshot = servedWithoutVerdicts();
    snapshot.health = { ...snapshot.health, score: 80, healthy: true };
    expect(overallView(snapshot, "T")).toMatchObject({
      verdictText: "healthy",
      verdictTone: "good",
      scoreColour: TONE_COLOURS.good,
      documentTitle: "80.0 healthy \u2013 T",
    });
  });

  it("shows the served verdict and its reasons when there is one", () => {
    const snapshot = servedWithVerdicts();
    expect(overallView(snapshot, "Trading")).toMatchObject({
      verdict: "unhealthy",
      verdictText: "unhealthy",
      verdictTone: "bad",
      reasons: [
        "broker: 30 of 40 calls failed in the last 60 s (at least 50%)",
        "feed: status is initializing",
      ],
      documentTitle: "54.0 UNHEALTHY \u2013 Trading",
    });
    snapshot.health = { ...snapshot.health, verdict: "degraded", healthy: true };
    expect(overallView(snapshot, "Trading")).toMatchObject({
      verdictText: "degraded",
      verdictTone: "warn",
      healthy: true,
      documentTitle: "54.0 degraded \u2013 Trading",
    });
  });

  it("lets the served verdict decide the verdict, while the score keeps its own band", () => {
    const snapshot = servedWithVerdicts();
    snapshot.health = { ...snapshot.health, score: 40, verdict: "healthy", healthy: true };
    const view = overallView(snapshot, "x");
    expect(view.verdictTone).toBe("good");
    expect(view.scoreColour).toBe(TONE_COLOURS.warn);
  });

  it("renders an empty or malformed snapshot without NaN", () => {
    const view = overallView({}, "x");
    expect(view).toMatchObject({
      score: 0,
      scoreText: "0.0",
      verdictText: "unhealthy",
      reasons: [],
    });
    expect(JSON.stringify(view)).not.toMatch(/NaN|Infinity|undefined/);
    const odd = overallView(
      { health: { verdict: "fine", reasons: "no", healthy: true } } as unknown as ShownSnapshot,
      "x",
    );
    expect(odd).toMatchObject({ verdictText: "healthy", reasons: [] });
    expect(odd.verdict).toBeUndefined();
  });
});

describe("thresholdOf", () => {
  it("reads the served threshold, else the registry's default", () => {
    expect(thresholdOf({ threshold: 50 })).toBe(50);
    expect(thresholdOf({})).toBe(DEFAULT_THRESHOLD);
    expect(thresholdOf(undefined)).toBe(70);
    expect(thresholdOf({ threshold: Number.NaN })).toBe(70);
  });
});

describe("componentVerdictView", () => {
  it("shows a component's verdict, tone and reasons", () => {
    const [broker, feed] = servedWithVerdicts().components;
    expect(componentVerdictView(broker ?? {})).toEqual({
      verdict: "unhealthy",
      tone: "bad",
      reasons: ["30 of 40 calls failed in the last 60 s (at least 50%)"],
    });
    expect(componentVerdictView(feed ?? {})).toEqual({
      verdict: "degraded",
      tone: "warn",
      reasons: ["status is initializing"],
    });
    expect(componentVerdictView({ verdict: "healthy" })).toEqual({
      verdict: "healthy",
      tone: "good",
      reasons: [],
    });
  });

  it("shows nothing for a report without a verdict", () => {
    for (const report of servedWithoutVerdicts().components) {
      expect(componentVerdictView(report)).toBeUndefined();
    }
  });
});

describe("recentView", () => {
  it("shows the recent failure ratio with its errors and calls", () => {
    const [broker] = servedWithVerdicts().components;
    expect(recentView(broker?.stats?.recent)).toEqual({
      ratio: 0.75,
      ratioText: "75.0%",
      detailText: "30 errors / 40 calls in 1 min",
    });
    expect(recentView({ windowMs: 30_000, calls: 1, errors: 1, errorRate: 1 })).toMatchObject({
      ratioText: "100.0%",
      detailText: "1 error / 1 call in 30 s",
    });
  });

  it("shows 0% for a quiet window", () => {
    const [, feed] = servedWithVerdicts().components;
    expect(recentView(feed?.stats?.recent)).toEqual({
      ratio: 0,
      ratioText: "0.0%",
      detailText: "0 errors / 0 calls in 1 min",
    });
  });

  it("recomputes a rate that is missing or not a ratio, capped at 1", () => {
    expect(recentView({ windowMs: 60_000, calls: 8, errors: 2 })?.ratio).toBe(0.25);
    expect(recentView({ windowMs: 60_000, calls: 2, errors: 5, errorRate: 2.5 })?.ratio).toBe(1);
    expect(recentView({ calls: 0, errors: 3, errorRate: Number.NaN })?.ratio).toBe(0);
  });

  it("shows nothing when the tracker reports no recent activity", () => {
    expect(recentView(undefined)).toBeUndefined();
    const [broker] = servedWithoutVerdicts().components;
    expect(recentView(broker?.stats?.recent)).toBeUndefined();
  });
});
