import { describe, expect, it } from "vitest";
import {
  isVerdict,
  scoreBand,
  statusTone,
  TONE_COLOURS,
  toneColour,
  verdictTone,
  warnFrom,
} from "../../../src/http/dashboard/tone.js";

describe("scoreBand", () => {
  it("is good from the threshold, warn from 40, bad below", () => {
    expect(scoreBand(100, 70)).toBe("good");
    expect(scoreBand(70, 70)).toBe("good");
    expect(scoreBand(69.9, 70)).toBe("warn");
    expect(scoreBand(40, 70)).toBe("warn");
    expect(scoreBand(39.9, 70)).toBe("bad");
    expect(scoreBand(0, 70)).toBe("bad");
  });

  it("has no warn band when the threshold is at or below 40", () => {
    expect(warnFrom(30)).toBe(30);
    expect(warnFrom(90)).toBe(40);
    expect(scoreBand(30, 30)).toBe("good");
    expect(scoreBand(29.9, 30)).toBe("bad");
  });
});

describe("statusTone", () => {
  it("colours the statuses it knows and leaves others neutral", () => {
    for (const status of ["connected", "active", "ok", "running"])
      expect(statusTone(status)).toBe("good");
    for (const status of ["error", "timeout", "disconnected", "failed"]) {
      expect(statusTone(status)).toBe("bad");
    }
    for (const status of ["initializing", "reconnecting", "degraded", "connecting"]) {
      expect(statusTone(status)).toBe("warn");
    }
    for (const status of ["paused", "", "constructor", "__proto__", "toString"]) {
      expect(statusTone(status)).toBe("");
    }
  });
});

describe("verdicts", () => {
  it("maps healthy, degraded and unhealthy to good, warn and bad", () => {
    expect(verdictTone("healthy")).toBe("good");
    expect(verdictTone("degraded")).toBe("warn");
    expect(verdictTone("unhealthy")).toBe("bad");
  });

  it("recognises exactly the three verdicts", () => {
    expect(["healthy", "degraded", "unhealthy"].every(isVerdict)).toBe(true);
    for (const value of ["Healthy", "ok", "", "toString", undefined, 1, null]) {
      expect(isVerdict(value)).toBe(false);
    }
  });
});

describe("toneColour", () => {
  it("gives each tone its colour and draws neutral as bad", () => {
    expect(toneColour("good")).toBe(TONE_COLOURS.good);
    expect(toneColour("warn")).toBe(TONE_COLOURS.warn);
    expect(toneColour("bad")).toBe(TONE_COLOURS.bad);
    expect(toneColour("")).toBe(TONE_COLOURS.bad);
    expect(new Set(Object.values(TONE_COLOURS)).size).toBe(3);
  });
});
