/**
 * Three components in one registry, a little work, and the registry in Prometheus'
 * text format on stdout:
 *
 *   npx tsx examples/registry-prometheus.ts
 *   npx tsx examples/registry-prometheus.ts | promtool check metrics
 *
 * The work is deterministic (no timers, no randomness); only the measured
 * durations of place_order and the uptime vary from run to run.
 */
import { BaseStatisticsTracker, formatPrometheus, StatisticsRegistry } from "component-stats";

/** An order manager that counts what it does and times each placement. */
class OrderManager extends BaseStatisticsTracker {
  constructor() {
    super("order_manager");
  }

  /** Places an order; a rejected one is timed, tracked as an error and counted. */
  async placeOrder(quantity: number): Promise<void> {
    try {
      await this.time("place_order", async () => {
        if (quantity <= 0) throw new RangeError(`quantity must be > 0, got ${quantity}`);
        await this.increment("orders_placed");
        await this.setGauge("open_orders", ((await this.getGauge("open_orders")) ?? 0) + 1);
      });
    } catch {
      await this.increment("orders_rejected");
    }
  }
}

const registry = new StatisticsRegistry();

const orders = new OrderManager();
const feed = new BaseStatisticsTracker("market_data_feed");
const positions = new BaseStatisticsTracker("position_tracker");
registry.register(orders);
registry.register(feed, { weight: 2 }); // the feed counts double in the mean health
registry.register(positions);

await orders.setStatus("connected");
await feed.setStatus("connected");
await positions.setStatus("active");

for (let i = 0; i < 20; i++) await orders.placeOrder(i % 7 === 6 ? 0 : 1);
for (let tick = 0; tick < 500; tick++) {
  await feed.increment("ticks_received");
  await feed.recordTiming("tick_latency", 0.2 + (tick % 10) * 0.05);
}
await feed.trackError(new Error("sequence gap"), "feed.parse", { symbol: "NQ", expected: 41 });
await positions.setGauge("positions_open", 3);
await positions.setGauge("unrealized_pnl", -125.5);
await positions.increment("position_updates", 0); // zeros are exported too

process.stdout.write(formatPrometheus(await registry.collect()));
