import "server-only";
import { processScope } from "@/lib/process-scope";
import { STAGES, type RequestTiming } from "./timing";

const held = processScope("observe/tracing", (): { tracing?: Promise<Tracing> | null } => ({}));

/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: one SERVER span per API request with a child
 * span per stage, built from the same timing collector as Server-Timing (one instrumentation point), exported over
 * OTLP/HTTP (JSON). Unset, the SDK is never imported and a request costs one property read.
 */
type Tracing = {
  record: (timing: RequestTiming, route: string, method: string, status: number, totalMs: number) => void;
  flush: () => Promise<void>;
  shutdown: () => Promise<void>;
};

/** The OTLP/HTTP traces URL from the settings, or null when tracing is off. */
export function otlpTracesUrl(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, "")}/v1/traces` : null;
}

function tracing(): Promise<Tracing> | null {
  if (held.tracing !== undefined) return held.tracing;
  const url = otlpTracesUrl();
  held.tracing = url ? startTracing(url) : null;
  return held.tracing;
}

/** Exports one request's trace (fire and forget; an exporter failure never reaches the request). */
export function traceRequest(timing: RequestTiming, route: string, method: string, status: number, totalMs: number): void {
  const started = tracing();
  if (started === null) return;
  started.then((t) => t.record(timing, route, method, status, totalMs)).catch(() => undefined);
}

/** Sends the spans still queued (shutdown, tests). */
export async function flushTraces(): Promise<void> {
  const started = held.tracing;
  if (started) await (await started).flush();
}

/** Flushes and stops the exporter; the next request with tracing on starts a new one. */
export async function stopTracing(): Promise<void> {
  const started = held.tracing;
  held.tracing = undefined;
  if (started) await (await started).shutdown();
}

async function startTracing(url: string): Promise<Tracing> {
  const [api, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME?.trim() || "devdraft-portal" }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1_000 })],
  });
  const tracer = provider.getTracer("devdraft-portal");
  const origin = performance.timeOrigin;
  return {
    record(timing, route, method, status, totalMs) {
      const start = origin + timing.start;
      // Names and attributes are the route template, method, status and request id: never a URL, query or customer.
      const root = tracer.startSpan(`${method} ${route}`, {
        kind: api.SpanKind.SERVER,
        startTime: start,
        attributes: { "http.request.method": method, "http.route": route, "http.response.status_code": status, "portal.request_id": timing.requestId },
      });
      if (status >= 500) root.setStatus({ code: api.SpanStatusCode.ERROR });
      const parent = api.trace.setSpan(api.ROOT_CONTEXT, root);
      for (let i = 0; i < STAGES.length; i++) {
        const at = timing.at[i] as number;
        if (at < 0) continue;
        // A stage that ran more than once (retries) is one span from its first start, as long as its summed time.
        const stage = tracer.startSpan(STAGES[i] as string, { startTime: start + at, attributes: { "portal.request_id": timing.requestId } }, parent);
        stage.end(start + at + (timing.ms[i] as number));
      }
      root.end(start + totalMs);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
