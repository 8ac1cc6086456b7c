import { describe, expect, it } from "vitest";
import { guardOverrides, isOverriddenBelow } from "../../src/tracker/override-guard.js";

/** A stand-in base: `read()` answers "base"; its constructor guards `read` overrides. */
class Base {
  static guarded: string[] = [];
  constructor() {
    guardOverrides(this, Base.prototype, "read", (self, callOverride) => {
      try {
        return callOverride();
      } catch (error) {
        Base.guarded.push(`${(self as Base).constructor.name}: ${String(error)}`);
        return "recovered";
      }
    });
  }
  read(): string {
    return "base";
  }
}

describe("isOverriddenBelow", () => {
  class Middle extends Base {
    override read(): string {
      return `middle(${super.read()})`;
    }
  }
  class Plain extends Middle {}
  class Outer extends Plain {
    override read(): string {
      return `outer(${super.read()})`;
    }
  }

  it("tells whether a more derived prototype defines the method", () => {
    expect(isOverriddenBelow(new Base(), Base.prototype, "read")).toBe(false);
    expect(isOverriddenBelow(new Middle(), Base.prototype, "read")).toBe(true);
    expect(isOverriddenBelow(new Middle(), Middle.prototype, "read")).toBe(false);
    expect(isOverriddenBelow(new Plain(), Middle.prototype, "read")).toBe(false);
    expect(isOverriddenBelow(new Outer(), Middle.prototype, "read")).toBe(true);
    expect(isOverriddenBelow(new Outer(), Outer.prototype, "read")).toBe(false);
  });

  it("ignores an own property of the instance (a spy on one object)", () => {
    const base = new Base();
    base.read = () => "own";
    expect(isOverriddenBelow(base, Base.prototype, "read")).toBe(false);
  });
});

describe("guardOverrides", () => {
  it("guards the outermost override only, so inner ones run as written", () => {
    class Inner extends Base {
      fail = false;
      override read(): string {
        if (this.fail) throw new Error("inner failed");
        return "inner";
      }
    }
    class Outer extends Inner {
      override read(): string {
        return `outer(${super.read()})`;
      }
    }
    Base.guarded = [];
    const outer = new Outer();
    expect(outer.read()).toBe("outer(inner)");
    outer.fail = true;
    // The inner failure propagates through Outer's code to Outer's guard: one recovery.
    expect(outer.read()).toBe("recovered");
    expect(Base.guarded).toEqual(["Outer: Error: inner failed"]);
    const inner = new Inner();
    inner.fail = true;
    expect(inner.read()).toBe("recovered");
    expect(Base.guarded).toEqual(["Outer: Error: inner failed", "Inner: Error: inner failed"]);
  });

  it("wraps each prototype once, however many instances are built, and adds no own property", () => {
    class Once extends Base {
      override read(): string {
        return "once";
      }
    }
    new Once();
    const wrapped = Once.prototype.read;
    expect(wrapped.name).toBe("read");
    const later = new Once();
    expect(Once.prototype.read).toBe(wrapped);
    expect(Object.hasOwn(later, "read")).toBe(false);
    expect(Object.keys(later)).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(Once.prototype, "read")?.enumerable).toBe(false);
  });

  it("leaves the base and a subclass without an override untouched", () => {
    const original = Base.prototype.read;
    class NoOverride extends Base {}
    new NoOverride();
    expect(Base.prototype.read).toBe(original);
    expect(Object.hasOwn(NoOverride.prototype, "read")).toBe(false);
  });

  it("passes arguments and `this` through", () => {
    class Args extends Base {
      suffix = "!";
      override read(...args: unknown[]): string {
        return `${args.join(",")}${this.suffix}`;
      }
    }
    const tracker = new Args();
    expect((tracker.read as (...args: unknown[]) => string)(1, "b")).toBe("1,b!");
  });

  it("leaves a frozen prototype as it is", () => {
    class Frozen extends Base {
      override read(): string {
        throw new Error("frozen failed");
      }
    }
    Object.freeze(Frozen.prototype);
    const frozen = new Frozen();
    expect(() => frozen.read()).toThrow("frozen failed");
  });
});
