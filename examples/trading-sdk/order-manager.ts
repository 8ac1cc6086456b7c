import { BaseStatisticsTracker } from "component-stats";
import type { BrokerConnection } from "./broker-connection.js";
import {
  INSTRUMENTS,
  type SimulationContext,
  TICKERS,
  type Ticker,
  trackerOptions,
} from "./context.js";
import { InsufficientMarginError } from "./errors.js";
import type { MarketDataFeed } from "./market-data-feed.js";
import type { PositionTracker } from "./position-tracker.js";

/** Options of the simulated order flow. */
export interface OrderManagerOptions {
  /**
   * Mean new orders per second.
   * @defaultValue 5
   */
  ordersPerSecond?: number;
}

interface OpenOrder {
  id: string;
  ticker: Ticker;
  quantity: number;
  placedAtMs: number;
  /** When it fills, or, when `cancel` is set, when the trader cancels it. */
  dueAtMs: number;
  cancel: boolean;
}

const MAX_OPEN_ORDERS = 200;

/**
 * The order manager: checks each new order against a pre-trade risk limit, sends it
 * through the broker session (rejecting it while the session is down), then fills it
 * or cancels it a little later, passing fills to the position tracker.
 */
export class OrderManager extends BaseStatisticsTracker {
  readonly #context: SimulationContext;
  readonly #broker: BrokerConnection;
  readonly #feed: MarketDataFeed;
  readonly #positions: PositionTracker;
  readonly #ordersPerSecond: number;
  readonly #open: OpenOrder[] = [];
  #elapsedMs = 0;
  #nextId = 1;

  /**
   * @param context - random source and clock.
   * @param parts - the session orders go through, the prices they use and where fills go.
   * @param options - the order rate.
   */
  constructor(
    context: SimulationContext,
    parts: { broker: BrokerConnection; feed: MarketDataFeed; positions: PositionTracker },
    options: OrderManagerOptions = {},
  ) {
    super("order_manager", trackerOptions(context));
    this.#context = context;
    this.#broker = parts.broker;
    this.#feed = parts.feed;
    this.#positions = parts.positions;
    this.#ordersPerSecond = options.ordersPerSecond ?? 5;
  }

  /** Starts accepting orders. */
  async start(): Promise<void> {
    await this.setStatus("active");
  }

  /** Advances the order flow by `stepMs` of simulated time. */
  async step(stepMs: number): Promise<void> {
    this.#elapsedMs += stepMs;
    const { random } = this.#context;
    const arrivals = random.poisson((this.#ordersPerSecond * stepMs) / 1000);
    for (let i = 0; i < arrivals; i++) await this.#place();
    if (this.#open.length > 0 && random.chance((0.6 * stepMs) / 1000)) await this.#modify();
    await this.#settleDue();
    await this.setGauge("open_orders", this.#open.length);
  }

  async #place(): Promise<void> {
    const { random } = this.#context;
    const ticker = random.pick(TICKERS);
    const quantity = random.int(1, 10) * (random.chance(0.5) ? 1 : -1);
    const id = `ORD-${String(this.#nextId++).padStart(6, "0")}`;
    const riskMs = random.logNormal(0.25, 0.4);
    await this.recordTiming("risk_check", riskMs);
    if (random.chance(0.005)) {
      await this.increment("orders_rejected");
      await this.trackError(
        new InsufficientMarginError(`order ${id} needs more initial margin than is free`),
        "order.risk_check",
        {
          orderId: id,
          symbol: ticker,
          quantity,
          requiredMargin: Math.abs(quantity) * INSTRUMENTS[ticker].price * 0.05,
          account_id: "DEMO-0042", // redacted by /stats
        },
      );
      return;
    }
    let sendMs: number;
    try {
      sendMs = await this.#broker.send(id);
    } catch (error) {
      await this.increment("orders_rejected");
      await this.trackError(error, "order.submit", { orderId: id, symbol: ticker });
      return;
    }
    await this.recordTiming("place_order", riskMs + sendMs + random.logNormal(1.5, 0.3));
    await this.increment("orders_submitted");
    const cancel = random.chance(0.15);
    this.#open.push({
      id,
      ticker,
      quantity,
      placedAtMs: this.#elapsedMs,
      dueAtMs: this.#elapsedMs + (cancel ? random.between(1000, 4000) : random.logNormal(180, 0.8)),
      cancel,
    });
    if (this.#open.length > MAX_OPEN_ORDERS) this.#open.shift();
  }

  async #modify(): Promise<void> {
    const { random } = this.#context;
    await this.recordTiming("modify_order", random.logNormal(11, 0.45));
    await this.increment("orders_modified");
  }

  async #settleDue(): Promise<void> {
    const { random } = this.#context;
    for (let i = 0; i < this.#open.length; ) {
      const order = this.#open[i] as OpenOrder;
      if (order.dueAtMs > this.#elapsedMs) {
        i++;
        continue;
      }
      this.#open.splice(i, 1);
      if (order.cancel) {
        await this.recordTiming("cancel_order", random.logNormal(8, 0.4));
        await this.increment("orders_cancelled");
        continue;
      }
      await this.recordTiming("fill_latency", order.dueAtMs - order.placedAtMs);
      await this.increment("orders_filled");
      await this.#positions.applyFill(
        order.ticker,
        order.quantity,
        this.#feed.lastPrice(order.ticker),
      );
    }
  }
}
