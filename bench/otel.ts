import type { Meter } from "@opentelemetry/api";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";

/**
 * A reader that only collects on demand. Attaching a reader is what makes the SDK
 * record: a MeterProvider without one hands out instruments that drop every value,
 * and a benchmark of those would measure nothing.
 */
class OnDemandReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** An OpenTelemetry meter whose instruments really record. */
export interface RecordingMeter {
  readonly meter: Meter;
  /** Data points collected now, summed over every metric: proof that values were recorded. */
  recordedPoints(): Promise<number>;
}

/** Creates a meter on its own MeterProvider with an {@link OnDemandReader} attached. */
export function recordingMeter(name: string): RecordingMeter {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  return {
    meter: provider.getMeter(name),
    async recordedPoints() {
      const { resourceMetrics } = await reader.collect();
      let points = 0;
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) points += metric.dataPoints.length;
      }
      return points;
    },
  };
}
