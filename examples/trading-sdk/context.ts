import type { Clock, TrackerOptions } from "component-stats";
import type { Random } from "./random.js";

/** What every simulated component is built with. */
export interface SimulationContext {
  /** The seeded random source the simulation draws from. */
  random: Random;
  /** The trackers' clock; the system clock when absent, a manual clock in tests. */
  clock?: Clock;
}

/** Tracker options for a simulated component: its clock when one was injected. */
export function trackerOptions(context: SimulationContext): TrackerOptions {
  return context.clock === undefined ? {} : { clock: context.clock };
}

/** The instruments traded, with a plausible price, tick size and contract multiplier. */
export const INSTRUMENTS = {
  ES: { price: 5_000, tick: 0.25, multiplier: 50 },
  NQ: { price: 17_500, tick: 0.25, multiplier: 20 },
  CL: { price: 78, tick: 0.01, multiplier: 1_000 },
  GC: { price: 2_030, tick: 0.1, multiplier: 100 },
  ZN: { price: 110, tick: 1 / 64, multiplier: 1_000 },
  "6E": { price: 1.09, tick: 0.000_05, multiplier: 125_000 },
} as const;

/** A traded symbol. */
export type Ticker = keyof typeof INSTRUMENTS;

/** Every traded symbol. */
export const TICKERS = Object.keys(INSTRUMENTS) as Ticker[];
