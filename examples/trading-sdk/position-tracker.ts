import { BaseStatisticsTracker } from "component-stats";
import { INSTRUMENTS, type SimulationContext, type Ticker, trackerOptions } from "./context.js";
import { PriceUnavailableError } from "./errors.js";
import type { MarketDataFeed } from "./market-data-feed.js";

interface Position {
  quantity: number;
  averagePrice: number;
}

const MARK_INTERVAL_MS = 500;

/**
 * Positions and P&L: applies fills (signed quantity, average price, realised P&L)
 * and marks every open position to the feed's last price twice a second.
 */
export class PositionTracker extends BaseStatisticsTracker {
  readonly #context: SimulationContext;
  readonly #feed: MarketDataFeed;
  readonly #positions = new Map<Ticker, Position>();
  #realizedPnl = 0;
  #elapsedMs = 0;
  #nextMarkMs = MARK_INTERVAL_MS;

  /**
   * @param context - random source and clock.
   * @param feed - where marks come from.
   */
  constructor(context: SimulationContext, feed: MarketDataFeed) {
    super("position_tracker", trackerOptions(context));
    this.#context = context;
    this.#feed = feed;
  }

  /** Starts tracking. */
  async start(): Promise<void> {
    await this.setStatus("active");
  }

  /** Applies one fill: `quantity` is positive for a buy, negative for a sell. */
  async applyFill(ticker: Ticker, quantity: number, price: number): Promise<void> {
    await this.time("apply_fill", () => {
      const position = this.#positions.get(ticker) ?? { quantity: 0, averagePrice: 0 };
      const { multiplier } = INSTRUMENTS[ticker];
      const closing =
        Math.sign(quantity) !== Math.sign(position.quantity)
          ? Math.min(Math.abs(quantity), Math.abs(position.quantity))
          : 0;
      if (closing > 0) {
        this.#realizedPnl +=
          closing * Math.sign(position.quantity) * (price - position.averagePrice) * multiplier;
      }
      const next = position.quantity + quantity;
      if (next === 0) this.#positions.delete(ticker);
      else if (Math.sign(next) !== Math.sign(position.quantity) || position.quantity === 0) {
        this.#positions.set(ticker, { quantity: next, averagePrice: price });
      } else if (closing === 0) {
        const averagePrice = (position.averagePrice * position.quantity + price * quantity) / next;
        this.#positions.set(ticker, { quantity: next, averagePrice });
      } else {
        this.#positions.set(ticker, { quantity: next, averagePrice: position.averagePrice });
      }
    });
    await this.increment("fills_applied");
  }

  /** Advances by `stepMs` of simulated time, marking to market when due. */
  async step(stepMs: number): Promise<void> {
    this.#elapsedMs += stepMs;
    if (this.#elapsedMs < this.#nextMarkMs) return;
    this.#nextMarkMs += MARK_INTERVAL_MS;
    const { random } = this.#context;
    let unrealizedPnl = 0;
    let grossExposure = 0;
    for (const [ticker, position] of this.#positions) {
      if (random.chance(0.002)) {
        await this.trackError(
          new PriceUnavailableError(`no fresh price for ${ticker}`),
          "positions.mark",
          {
            symbol: ticker,
            account_id: "DEMO-0042", // redacted by /stats
          },
        );
        continue;
      }
      const { multiplier } = INSTRUMENTS[ticker];
      const price = this.#feed.lastPrice(ticker);
      unrealizedPnl += (price - position.averagePrice) * position.quantity * multiplier;
      grossExposure += Math.abs(position.quantity * price * multiplier);
    }
    await this.recordTiming(
      "mark_to_market",
      random.logNormal(0.6 + 0.25 * this.#positions.size, 0.3),
    );
    await this.increment("marks");
    await this.setGauge("open_positions", this.#positions.size);
    await this.setGauge("unrealized_pnl", Math.round(unrealizedPnl * 100) / 100);
    await this.setGauge("realized_pnl", Math.round(this.#realizedPnl * 100) / 100);
    await this.setGauge("gross_exposure", Math.round(grossExposure));
  }
}
