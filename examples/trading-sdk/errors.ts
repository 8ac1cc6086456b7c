/** The failures the simulated SDK runs into; their class names show up as `errorType`. */

/** The broker closed the session. */
export class ConnectionResetError extends Error {
  override name = "ConnectionResetError";
}

/** A reconnect attempt did not complete its handshake. */
export class ReconnectFailedError extends Error {
  override name = "ReconnectFailedError";
}

/** An order could not be sent because the broker session is down. */
export class BrokerUnavailableError extends Error {
  override name = "BrokerUnavailableError";
}

/** The pre-trade risk check refused an order. */
export class InsufficientMarginError extends Error {
  override name = "InsufficientMarginError";
}

/** The feed skipped sequence numbers; the book is rebuilt from a snapshot. */
export class SequenceGapError extends Error {
  override name = "SequenceGapError";
}

/** No fresh price to mark a position to market with. */
export class PriceUnavailableError extends Error {
  override name = "PriceUnavailableError";
}
