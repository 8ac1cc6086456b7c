/**
 * Recovery from a failing subclass override of a tracker method.
 *
 * `tracker.getStats()` on a subclass runs the subclass's code first, so the tracker
 * can only see that code fail if something stands in front of it. That something is a
 * wrapper on the subclass's prototype, installed once per class when its first
 * instance is built. A spy on any prototype (the base's or the subclass's) then sees
 * every call, because calls go through the prototype chain as usual; the instance
 * gets no property of its own.
 */

/** Prototypes already looked at, each with all of its ancestors. */
const guardedPrototypes = new WeakSet<object>();

/** A method of a subclass; `this` is the tracker. */
type Method = (this: object, ...args: unknown[]) => unknown;

/**
 * Whether a prototype between `instance` and `proto` (both excluded) defines `method`:
 * when it does, a call of `proto`'s `method` on `instance` is a `super` call from an
 * override, and the outermost override is the one that answers the caller.
 *
 * @param instance - the object the method was called on.
 * @param proto - the prototype whose method is running.
 * @param method - the method's name.
 * @returns true when a more derived class overrides `method`.
 */
export function isOverriddenBelow(instance: object, proto: object, method: string): boolean {
  for (
    let current = Object.getPrototypeOf(instance) as object | null;
    current !== null && current !== proto;
    current = Object.getPrototypeOf(current) as object | null
  ) {
    if (Object.hasOwn(current, method)) return true;
  }
  return false;
}

/**
 * Wraps every override of `method` between `instance` and `baseProto`, once per
 * prototype, so that a call reaching the outermost override goes through `guard`.
 * An inner override (reached through `super` from a more derived one) runs as
 * written. A prototype whose `method` cannot be redefined (a frozen class) is left as
 * it is.
 *
 * @param instance - a freshly constructed tracker.
 * @param baseProto - the base class's prototype, where the walk stops.
 * @param method - the method to guard.
 * @param guard - runs the override (`callOverride`) on `self` and handles its failure.
 */
export function guardOverrides<T extends object>(
  instance: T,
  baseProto: object,
  method: string,
  guard: (self: T, callOverride: () => unknown) => unknown,
): void {
  for (
    let proto = Object.getPrototypeOf(instance) as object | null;
    proto !== null && proto !== baseProto;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    if (guardedPrototypes.has(proto)) return;
    guardedPrototypes.add(proto);
    const descriptor = Object.getOwnPropertyDescriptor(proto, method);
    const override = descriptor?.value as unknown;
    if (typeof override !== "function" || !(descriptor?.writable || descriptor?.configurable)) {
      continue;
    }
    const owner = proto;
    // An object literal's method, so the wrapper is named like the method it wraps.
    const wrapper = {
      [method](this: T, ...args: unknown[]): unknown {
        const callOverride = () => (override as Method).apply(this, args);
        return isOverriddenBelow(this, owner, method) ? callOverride() : guard(this, callOverride);
      },
    }[method];
    Object.defineProperty(proto, method, { ...descriptor, value: wrapper });
  }
}
