import { describe, expect, it } from "vitest";
import {
  detailsText,
  errorLines,
  errorsKey,
  lastErrorText,
  MAX_DETAILS_SHOWN,
  MAX_ERRORS_SHOWN,
} from "../../../src/http/dashboard/error-view.js";
import type { ErrorRecord } from "../../../src/types.js";

const record = (i: number, details: Record<string, unknown> = {}): ErrorRecord => ({
  error: `failure ${i}`,
  errorType: "ConnectionResetError",
  context: "broker.session",
  details,
  timestamp: Date.UTC(2024, 0, 1, 0, 0, i),
});

describe("lastErrorText", () => {
  it("says what, where and why in one line", () => {
    expect(lastErrorText(record(1))).toBe(
      "Last error: ConnectionResetError in broker.session: failure 1",
    );
    expect(lastErrorText({ error: "x", context: "c", errorType: "" })).toBe(
      "Last error: Error in c: x",
    );
  });
});

describe("detailsText", () => {
  it("writes details as JSON and nothing for none", () => {
    expect(detailsText({ attempt: 2, session_token: "[REDACTED]" })).toBe(
      '{"attempt":2,"session_token":"[REDACTED]"}',
    );
    expect(detailsText({})).toBe("");
    expect(detailsText(undefined)).toBe("");
    expect(detailsText(null)).toBe("");
  });

  it("cuts long details with an ellipsis", () => {
    const text = detailsText({ blob: "x".repeat(500) });
    expect(text).toHaveLength(MAX_DETAILS_SHOWN + 1);
    expect(text.endsWith("\u2026")).toBe(true);
  });
});

describe("errorLines", () => {
  it("lists the newest ten, newest first", () => {
    const records = Array.from({ length: 15 }, (_, i) => record(i));
    const lines = errorLines(records);
    expect(lines).toHaveLength(MAX_ERRORS_SHOWN);
    expect(lines.map((line) => line.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `failure ${14 - i}`),
    );
    expect(lines[0]).toMatchObject({
      type: "ConnectionResetError",
      where: " @ broker.session ",
      details: "",
      when: `${new Date(record(14).timestamp).toLocaleTimeString()} `,
    });
  });

  it("names an error without a class Error", () => {
    const [line] = errorLines([{ error: "x", context: "c", timestamp: 0 }]);
    expect(line?.type).toBe("Error");
  });

  it("keeps markup as text: the page writes these with textContent", () => {
    const [line] = errorLines([
      { ...record(1, { html: "<b>" }), error: "<img src=x onerror=alert(1)>" },
    ]);
    expect(line?.message).toBe("<img src=x onerror=alert(1)>");
    expect(line?.details).toBe('{"html":"<b>"}');
  });
});

describe("errorsKey", () => {
  it("changes when an error is added or the newest changes, not otherwise", () => {
    const records = [record(1), record(2)];
    expect(errorsKey(records)).toBe(errorsKey([record(1), record(2)]));
    expect(errorsKey(records)).not.toBe(errorsKey([...records, record(3)]));
    expect(errorsKey(records)).not.toBe(errorsKey([record(1), record(3)]));
    expect(errorsKey([])).toBe("0");
  });
});
