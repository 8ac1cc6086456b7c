import { BaseStatisticsTracker } from "component-stats";
import { type SimulationContext, trackerOptions } from "./context.js";
import { BrokerUnavailableError, ConnectionResetError, ReconnectFailedError } from "./errors.js";

/** Options of the simulated broker session. */
export interface BrokerConnectionOptions {
  /**
   * Mean time between session drops, in simulated milliseconds.
   * @defaultValue 20000
   */
  meanTimeBetweenDisconnectsMs?: number;
  /**
   * When the first drop happens, in simulated milliseconds after start, so that even
   * a 10-second demo shows an outage; `null` leaves it to chance.
   * @defaultValue 4000 to 7000, drawn at random
   */
  firstDisconnectAtMs?: number | null;
}

type State = "connecting" | "connected" | "disconnected" | "reconnecting";

const ENDPOINT = "wss://broker.example/trading";
const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * A flaky broker session: it connects, heartbeats every second, drops now and then
 * (status `"disconnected"`), backs off and reconnects (status `"reconnecting"`, where
 * an attempt fails about a third of the time), and carries orders while connected.
 */
export class BrokerConnection extends BaseStatisticsTracker {
  readonly #context: SimulationContext;
  readonly #meanTimeBetweenDisconnectsMs: number;
  #state: State = "connecting";
  #elapsedMs = 0;
  #nextEventMs = 0;
  #nextHeartbeatMs = HEARTBEAT_INTERVAL_MS;
  #attempt = 0;
  #outageStartMs = 0;
  #firstDisconnectAtMs: number;

  /**
   * @param context - random source and clock.
   * @param options - how flaky the session is.
   */
  constructor(context: SimulationContext, options: BrokerConnectionOptions = {}) {
    super("broker_connection", trackerOptions(context));
    this.#context = context;
    this.#meanTimeBetweenDisconnectsMs = options.meanTimeBetweenDisconnectsMs ?? 20_000;
    const { firstDisconnectAtMs = context.random.between(4000, 7000) } = options;
    this.#firstDisconnectAtMs = firstDisconnectAtMs ?? Number.POSITIVE_INFINITY;
  }

  /** Whether orders can be sent now. */
  get connected(): boolean {
    return this.#state === "connected";
  }

  /** The session's state, as the status also reports it. */
  get state(): State {
    return this.#state;
  }

  /** Opens the session; it is up about 300 ms of simulated time later. */
  async start(): Promise<void> {
    this.#state = "connecting";
    this.#nextEventMs = this.#elapsedMs + 300;
    await this.setStatus("connecting");
  }

  /**
   * Sends one order message and returns its simulated round trip in milliseconds.
   * @throws BrokerUnavailableError while the session is down.
   */
  async send(orderId: string): Promise<number> {
    if (!this.connected) {
      throw new BrokerUnavailableError(`cannot send ${orderId}: broker session is ${this.#state}`);
    }
    const { random } = this.#context;
    const roundTripMs =
      random.logNormal(9, 0.45) + (random.chance(0.01) ? random.between(40, 120) : 0);
    await this.recordTiming("send_order", roundTripMs);
    await this.increment("messages_sent");
    return roundTripMs;
  }

  /** Advances the session by `stepMs` of simulated time. */
  async step(stepMs: number): Promise<void> {
    this.#elapsedMs += stepMs;
    const nowMs = this.#elapsedMs;
    const { random } = this.#context;
    switch (this.#state) {
      case "connecting":
        if (nowMs >= this.#nextEventMs) {
          await this.recordTiming("connect", random.logNormal(180, 0.3));
          await this.#becomeConnected();
        }
        return;
      case "connected":
        if (nowMs >= this.#nextHeartbeatMs) {
          this.#nextHeartbeatMs = nowMs + HEARTBEAT_INTERVAL_MS;
          const roundTripMs = random.logNormal(6, 0.35);
          await this.recordTiming("heartbeat", roundTripMs);
          // The last round trip, in base units as Prometheus names want them (promtool
          // rejects an abbreviated `_ms`); the `heartbeat` timing keeps the distribution.
          await this.setGauge("heartbeat_rtt_seconds", roundTripMs / 1000);
          await this.increment("heartbeats");
        }
        if (
          nowMs >= this.#firstDisconnectAtMs ||
          random.chance(1 - Math.exp(-stepMs / this.#meanTimeBetweenDisconnectsMs))
        ) {
          this.#firstDisconnectAtMs = Number.POSITIVE_INFINITY;
          await this.#drop();
        }
        return;
      case "disconnected":
        if (nowMs >= this.#nextEventMs) {
          this.#state = "reconnecting";
          await this.setStatus("reconnecting");
          this.#nextEventMs = nowMs + random.logNormal(150, 0.4);
        }
        return;
      case "reconnecting":
        if (nowMs >= this.#nextEventMs) await this.#attemptReconnect(nowMs);
        return;
    }
  }

  async #becomeConnected(): Promise<void> {
    this.#state = "connected";
    this.#attempt = 0;
    this.#nextHeartbeatMs = this.#elapsedMs + HEARTBEAT_INTERVAL_MS;
    await this.setStatus("connected");
    await this.setGauge("reconnect_attempts", 0);
  }

  async #drop(): Promise<void> {
    this.#state = "disconnected";
    this.#outageStartMs = this.#elapsedMs;
    await this.setStatus("disconnected");
    await this.increment("disconnects");
    await this.trackError(new ConnectionResetError("session closed by peer"), "broker.session", {
      endpoint: ENDPOINT,
      session_token: "st-5f1c2a9e", // redacted by /stats
      heartbeatsMissed: this.#context.random.int(1, 3),
    });
    this.#nextEventMs = this.#elapsedMs + this.#backoffMs();
  }

  async #attemptReconnect(nowMs: number): Promise<void> {
    const { random } = this.#context;
    this.#attempt++;
    await this.setGauge("reconnect_attempts", this.#attempt);
    await this.recordTiming("reconnect_attempt", random.logNormal(120, 0.4));
    if (random.chance(0.35)) {
      await this.trackError(
        new ReconnectFailedError("TLS handshake timed out"),
        "broker.reconnect",
        {
          endpoint: ENDPOINT,
          attempt: this.#attempt,
        },
      );
      this.#state = "disconnected";
      await this.setStatus("disconnected");
      this.#nextEventMs = nowMs + this.#backoffMs();
      return;
    }
    await this.recordTiming("outage", nowMs - this.#outageStartMs);
    await this.increment("reconnects");
    await this.#becomeConnected();
  }

  /** Exponential backoff with jitter: 0.5 s, 1 s, 2 s, … capped at 8 s. */
  #backoffMs(): number {
    const baseMs = Math.min(500 * 2 ** this.#attempt, 8000);
    return baseMs * this.#context.random.between(0.8, 1.2);
  }
}
