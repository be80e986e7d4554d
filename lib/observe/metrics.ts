import "server-only";
import { processScope } from "@/lib/process-scope";
import { Counter, Histogram, Registry } from "prom-client";

const held = processScope("observe/metrics", (): { metrics?: PortalMetrics } => ({}));

/** Request and stage latencies in seconds: from a cache hit (sub-millisecond) to a retried upstream call. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type PortalMetrics = {
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method" | "status">;
  stageDuration: Histogram<"stage">;
  upstreamCalls: Counter<"outcome">;
  budgetWait: Histogram;
  staleAnswers: Counter<"reason">;
  auditWrite: Histogram<"outcome">;
  auditBatchSize: Histogram;
};

/**
 * The process-wide Prometheus registry. Labels are route templates, methods, statuses, outcomes, stage and sink
 * names only: never a URL, a query, a customer or a staff member.
 */
export function metrics(): PortalMetrics {
  return (held.metrics ??= createMetrics());
}

function createMetrics(): PortalMetrics {
  const registry = new Registry();
  const m: PortalMetrics = {
    registry,
    httpRequests: new Counter({
      name: "portal_http_requests_total",
      help: "API requests answered, by route template, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "portal_http_request_duration_seconds",
      help: "API request duration until the answer's headers, by route template, method and status",
      labelNames: ["route", "method", "status"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    stageDuration: new Histogram({
      name: "portal_request_stage_duration_seconds",
      help: "Time an API request spent in one stage (auth, validate, budget, upstream, audit), as in Server-Timing",
      labelNames: ["stage"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: "portal_devdraft_calls_total",
      help: "Attempts sent to Devdraft, by outcome (ok, rate_limited = HTTP 429, unavailable, timeout, network, ...)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    budgetWait: new Histogram({
      name: "portal_devdraft_budget_wait_seconds",
      help: "Time an attempt waited for a slot in the Devdraft rate budget",
      buckets: [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    staleAnswers: new Counter({
      name: "portal_devdraft_stale_answers_total",
      help: "Answers served from the cache past their TTL, marked stale, because Devdraft was out, by what failed (rate_limited, timeout, unavailable, network)",
      labelNames: ["reason"],
      registers: [registry],
    }),
    auditWrite: new Histogram({
      name: "portal_audit_write_duration_seconds",
      help: "Duration of one group commit of audit events, by outcome (ok, error)",
      labelNames: ["outcome"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    auditBatchSize: new Histogram({
      name: "portal_audit_batch_size",
      help: "Audit events written in one group commit",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
  };
  return m;
}
