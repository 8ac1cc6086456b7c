import { BaseStatisticsTracker } from "component-stats";
import {
  INSTRUMENTS,
  type SimulationContext,
  TICKERS,
  type Ticker,
  trackerOptions,
} from "./context.js";
import { SequenceGapError } from "./errors.js";

/** Options of the simulated feed. */
export interface MarketDataFeedOptions {
  /**
   * Mean quotes per second over all symbols.
   * @defaultValue 150
   */
  quotesPerSecond?: number;
}

/**
 * A market-data feed: a stream of quotes over six futures, each decoded and applied
 * to an order book in well under a millisecond, with a rare sequence gap that forces
 * a snapshot recovery. Prices follow a random walk on each instrument's tick size.
 */
export class MarketDataFeed extends BaseStatisticsTracker {
  readonly #context: SimulationContext;
  readonly #quotesPerSecond: number;
  readonly #prices = new Map<Ticker, number>();
  readonly #sequence = new Map<Ticker, number>();
  #elapsedMs = 0;
  #nextRateMs = 1000;
  #quotesThisSecond = 0;

  /**
   * @param context - random source and clock.
   * @param options - the quote rate.
   */
  constructor(context: SimulationContext, options: MarketDataFeedOptions = {}) {
    super("market_data", trackerOptions(context));
    this.#context = context;
    this.#quotesPerSecond = options.quotesPerSecond ?? 150;
    for (const ticker of TICKERS) {
      this.#prices.set(ticker, INSTRUMENTS[ticker].price);
      this.#sequence.set(ticker, 0);
    }
  }

  /** The last traded price of `ticker`. */
  lastPrice(ticker: Ticker): number {
    return this.#prices.get(ticker) ?? INSTRUMENTS[ticker].price;
  }

  /** Subscribes to every symbol. */
  async start(): Promise<void> {
    const { random } = this.#context;
    for (let i = 0; i < TICKERS.length; i++) {
      await this.recordTiming("subscribe", random.logNormal(35, 0.3));
      await this.increment("subscriptions");
    }
    await this.setGauge("symbols_subscribed", TICKERS.length);
    await this.setStatus("active");
  }

  /** Advances the feed by `stepMs` of simulated time. */
  async step(stepMs: number): Promise<void> {
    this.#elapsedMs += stepMs;
    const { random } = this.#context;
    const quotes = random.poisson((this.#quotesPerSecond * stepMs) / 1000);
    for (let i = 0; i < quotes; i++) {
      const ticker = random.pick(TICKERS);
      const { tick } = INSTRUMENTS[ticker];
      const price = Math.max(
        tick,
        this.lastPrice(ticker) + tick * Math.round(random.normal() * 1.5),
      );
      this.#prices.set(ticker, Number(price.toFixed(6)));
      const expected = (this.#sequence.get(ticker) ?? 0) + 1;
      this.#sequence.set(ticker, expected);
      await this.recordTiming("decode_quote", random.logNormal(0.03, 0.5));
      if (random.chance(0.5)) await this.recordTiming("update_book", random.logNormal(0.08, 0.6));
      await this.increment("quotes_received");
      this.#quotesThisSecond++;
      if (random.chance(0.0004)) {
        const skipped = random.int(2, 40);
        this.#sequence.set(ticker, expected + skipped);
        await this.trackError(
          new SequenceGapError(`expected sequence ${expected}, got ${expected + skipped}`),
          "feed.sequence",
          { symbol: ticker, expected, received: expected + skipped },
        );
        await this.recordTiming("gap_recovery", random.logNormal(40, 0.4));
        await this.increment("gap_recoveries");
      }
    }
    if (this.#elapsedMs >= this.#nextRateMs) {
      this.#nextRateMs += 1000;
      await this.setGauge("quotes_per_second", this.#quotesThisSecond);
      this.#quotesThisSecond = 0;
      for (const ticker of ["ES", "NQ", "CL"] as const) {
        await this.setGauge(`last_price_${ticker}`, this.lastPrice(ticker));
      }
    }
  }
}
