/**
 * The user's own objects that README snippets refer to without defining them. The
 * snippet test (snippets.test.ts) imports into each snippet every name here that the
 * snippet does not declare itself; everything else a snippet uses must come from its
 * own imports. Declarations only: nothing here runs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PushMetricExporter } from "@opentelemetry/sdk-metrics";
import type {
  BaseStatisticsTracker,
  StatisticsProvider,
  StatisticsRegistry,
} from "component-stats";

/** An order of the user's trading SDK. */
export interface Order {
  readonly id: string;
  readonly symbol: string;
  readonly quantity: number;
}

/** The user's broker client. */
export declare const broker: { submit(order: Order): Promise<{ orderId: string }> };
/** An order about to be placed. */
export declare const order: Order;
/** The user's trackers, subclasses of BaseStatisticsTracker. */
export declare const orderManagerStats: BaseStatisticsTracker;
export declare const feedStats: BaseStatisticsTracker;
/** A provider the user wrote by hand, without `componentName`. */
export declare const customProvider: StatisticsProvider;
/** The user's registry, in snippets that show what to do with one. */
export declare const registry: StatisticsRegistry;
/** The rest of the user's Node app, behind the stats handler. */
export declare const app: (req: IncomingMessage, res: ServerResponse) => void;
/** The OpenTelemetry exporter the user already configures. */
export declare const exporter: PushMetricExporter;
/** A tracker of the user's, in snippets about one tracker's calls. */
export declare const tracker: BaseStatisticsTracker;
/** The user's structured logger (pino's shape). */
export declare const logger: { warn(fields: object, message?: string): void };

/** A fetch handler as Bun and Deno take it. */
type FetchHandler = (request: Request) => Response | Promise<Response>;
/** Bun's and Deno's servers, for the fetch-handler snippets (their types are not installed). */
export declare const Bun: {
  serve(options: { hostname?: string; port?: number; fetch: FetchHandler }): unknown;
};
export declare const Deno: {
  serve(options: { hostname?: string; port?: number }, handler: FetchHandler): unknown;
};
