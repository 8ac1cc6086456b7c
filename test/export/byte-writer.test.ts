import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../src/export/byte-writer.js";

const encoder = new TextEncoder();
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** One write, and the string it stands for. */
type Write =
  | { kind: "text"; value: string }
  | { kind: "number"; value: number }
  | { kind: "byte"; value: number }
  | { kind: "line"; pieces: [string, string, string]; value: number | string };

const write = fc.oneof(
  fc.record({ kind: fc.constant("text" as const), value: fc.string({ unit: "grapheme" }) }),
  fc.record({ kind: fc.constant("text" as const), value: fc.string({ maxLength: 300 }) }),
  fc.record({
    kind: fc.constant("number" as const),
    value: fc.oneof(
      fc.nat(),
      fc.integer({ min: 0x7fff_fff0, max: 0x8000_0010 }),
      fc.maxSafeNat(),
      fc.double(),
      fc.constantFrom(0, -0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32, -1, 0.5),
    ),
  }),
  fc.record({ kind: fc.constant("byte" as const), value: fc.integer({ min: 0, max: 0x7f }) }),
  fc.record({
    kind: fc.constant("line" as const),
    pieces: fc.tuple(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ maxLength: 200 })),
    value: fc.oneof(fc.nat(), fc.double(), fc.maxSafeInteger(), fc.string({ unit: "grapheme" })),
  }),
);

function apply(writer: ByteWriter, step: Write): string {
  switch (step.kind) {
    case "text":
      writer.text(step.value);
      return step.value;
    case "number":
      writer.number(step.value);
      return String(step.value);
    case "byte":
      writer.byte(step.value);
      return String.fromCharCode(step.value);
    case "line": {
      const [first, second, third] = step.pieces.map((piece) => encoder.encode(piece));
      writer.line(first as Uint8Array, second as Uint8Array, third as Uint8Array, step.value);
      return `${step.pieces.join("")}${step.value}\n`;
    }
  }
}

describe("ByteWriter", () => {
  it("writes what TextEncoder makes of the same text, whatever the starting room", () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), fc.nat(600), (steps, capacity) => {
        const writer = new ByteWriter(capacity);
        let text = "";
        for (const step of steps) text += apply(writer, step);
        const bytes = writer.finish();
        expect(bytes).toEqual(encoder.encode(text));
        expect(writer.length).toBe(bytes.length);
      }),
    );
  });

  it("writes numbers as String() does, without a string for small integers", () => {
    const writer = new ByteWriter();
    const values = [0, -0, 7, 10, 2_147_483_647, 2_147_483_648, 1e21, -3, 0.1, 1e-7, 5e-324];
    for (const value of values) {
      writer.number(value);
      writer.byte(0x20);
    }
    expect(decode(writer.finish())).toBe(`${values.map(String).join(" ")} `);
  });

  it("writes lone surrogates as U+FFFD, as any UTF-8 encoding must", () => {
    const writer = new ByteWriter();
    writer.text("a\uD800b\uDC00");
    writer.text("😀é");
    expect(decode(writer.finish())).toBe("a\uFFFDb\uFFFD😀é");
  });

  it("takes back what followed a mark", () => {
    const writer = new ByteWriter();
    writer.text("# HELP x\n");
    const mark = writer.length;
    writer.text("x 1\n");
    writer.truncate(mark);
    writer.truncate(1000);
    writer.text("y 2\n");
    expect(decode(writer.finish())).toBe("# HELP x\ny 2\n");
  });

  it("returns a view when the buffer is at least half full, else a copy that keeps no spare room", () => {
    const full = new ByteWriter(256);
    full.text("x".repeat(200));
    const view = full.finish();
    expect(view.byteLength).toBe(200);
    expect(view.buffer.byteLength).toBe(256);

    const sparse = new ByteWriter(1 << 20);
    sparse.text("small");
    const copy = sparse.finish();
    expect(decode(copy)).toBe("small");
    expect(copy.buffer.byteLength).toBe(5);
  });

  it("grows past its starting room, keeping what was written", () => {
    const writer = new ByteWriter(0);
    const line = 'component_stats_health_score{component="é"} 100\n';
    for (let i = 0; i < 1000; i++) writer.text(line);
    expect(decode(writer.finish())).toBe(line.repeat(1000));
  });
});
