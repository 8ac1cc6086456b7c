import type { BaseStatisticsTracker, Clock } from "component-stats";
import { BrokerConnection, type BrokerConnectionOptions } from "./broker-connection.js";
import type { SimulationContext } from "./context.js";
import { MarketDataFeed, type MarketDataFeedOptions } from "./market-data-feed.js";
import { OrderManager, type OrderManagerOptions } from "./order-manager.js";
import { PositionTracker } from "./position-tracker.js";
import { Random } from "./random.js";

/** Options of the simulated SDK. */
export interface TradingSdkOptions {
  /**
   * Seed of the random source; the same seed and the same ticks give the same run.
   * @defaultValue 12
   */
  seed?: number;
  /** The trackers' clock; the system clock when absent. */
  clock?: Clock;
  /** How flaky the broker session is. */
  broker?: BrokerConnectionOptions;
  /** The quote rate. */
  marketData?: MarketDataFeedOptions;
  /** The order rate. */
  orders?: OrderManagerOptions;
}

/**
 * A simulated trading SDK: a market-data feed, a flaky broker session, an order
 * manager and a position tracker, each keeping its statistics in a
 * `BaseStatisticsTracker` subclass. Time is simulated: `tick(stepMs)` advances every
 * component by `stepMs`, so a test can drive it deterministically and the demo drives
 * it from a timer.
 */
export class TradingSdk {
  /** The broker session. */
  readonly broker: BrokerConnection;
  /** The market-data feed. */
  readonly marketData: MarketDataFeed;
  /** Positions and P&L. */
  readonly positions: PositionTracker;
  /** The order manager. */
  readonly orders: OrderManager;

  constructor(options: TradingSdkOptions = {}) {
    const context: SimulationContext = { random: new Random(options.seed ?? 12) };
    if (options.clock !== undefined) context.clock = options.clock;
    this.broker = new BrokerConnection(context, options.broker);
    this.marketData = new MarketDataFeed(context, options.marketData);
    this.positions = new PositionTracker(context, this.marketData);
    this.orders = new OrderManager(
      context,
      { broker: this.broker, feed: this.marketData, positions: this.positions },
      options.orders,
    );
  }

  /** Every component, in the order they are registered and shown. */
  get components(): readonly BaseStatisticsTracker[] {
    return [this.orders, this.marketData, this.positions, this.broker];
  }

  /** Connects and subscribes. */
  async start(): Promise<void> {
    await this.broker.start();
    await this.marketData.start();
    await this.positions.start();
    await this.orders.start();
  }

  /** Advances the whole SDK by `stepMs` of simulated time. */
  async tick(stepMs: number): Promise<void> {
    await this.broker.step(stepMs);
    await this.marketData.step(stepMs);
    await this.orders.step(stepMs);
    await this.positions.step(stepMs);
  }
}
