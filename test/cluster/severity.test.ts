import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STATUS_ORDER, worstStatus, worstVerdict } from "../../src/cluster/severity.js";
import type { Verdict } from "../../src/types.js";

describe("worstStatus", () => {
  it("takes the worst by STATUS_ORDER", () => {
    expect(worstStatus(["connected", "disconnected", "active"])).toBe("disconnected");
    expect(worstStatus(["connected", "error"])).toBe("error");
    expect(worstStatus(["initializing", "connected"])).toBe("initializing");
    expect(worstStatus(["active", "connected"])).toBe("active");
    expect(worstStatus(["connected"])).toBe("connected");
  });

  it("ranks an unlisted status after disconnected and before initializing", () => {
    expect(worstStatus(["connected", "reconnecting", "initializing"])).toBe("reconnecting");
    expect(worstStatus(["reconnecting", "disconnected"])).toBe("disconnected");
    // Two unlisted statuses: the first in code-unit order.
    expect(worstStatus(["throttled", "reconnecting"])).toBe("reconnecting");
  });

  it("does not depend on the order of the workers (property)", () => {
    const status = fc.oneof(
      fc.constantFrom(...STATUS_ORDER),
      fc.string({ minLength: 1, maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(status, { minLength: 1, maxLength: 8 }), (statuses) => {
        expect(worstStatus([...statuses].reverse())).toBe(worstStatus(statuses));
        expect(statuses).toContain(worstStatus(statuses));
      }),
    );
  });
});

describe("worstVerdict", () => {
  it("takes unhealthy over degraded over healthy", () => {
    expect(worstVerdict(["healthy", "degraded", "healthy"])).toBe("degraded");
    expect(worstVerdict(["degraded", "unhealthy"])).toBe("unhealthy");
    expect(worstVerdict(["healthy"])).toBe("healthy");
    expect(worstVerdict([])).toBe("healthy");
  });

  it("reads a verdict it does not know as unhealthy", () => {
    expect(worstVerdict(["healthy", "sideways" as Verdict])).toBe("unhealthy");
  });
});
