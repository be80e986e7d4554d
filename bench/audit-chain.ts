// The synthetic audit log the audit benches share (bench/audit-scale.ts, bench/audit-partition.ts): N chained events
// (valid hashes and Merkle leaves, as the recorder writes them) over 390 days, 50 staff and 200,000 customers; every
// filter the audit page offers, with random values; and the p50/p95 timers. Imported after rerunUnderReactServer.
import { createHash, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { CSV_COLUMNS } from "../lib/audit/export";
import { canonicalEventString } from "../lib/audit/hash";
import { countUpTo, searchEvents } from "../lib/audit/search";
import { addMonths } from "../lib/db/audit-partitions";
import { GENESIS_HASH } from "../lib/db/migrations";
import type { Database } from "../lib/db/schema";
import { createRandom } from "../sandbox/prng";
import { percentile } from "./harness";

export const STAFF = 50;
export const CUSTOMERS = 200_000;
export const SPAN_MS = 390 * 86_400_000;

/** Every UTC month from `fromMs` to `toMs` ("2026-03"), for the partitions a seed needs. */
export function monthsSpanned(fromMs: number, toMs: number): string[] {
  const months: string[] = [];
  for (let month = new Date(fromMs).toISOString().slice(0, 7); month <= new Date(toMs).toISOString().slice(0, 7); month = addMonths(month, 1))
    months.push(month);
  return months;
}

/** N events evenly spaced from startMs, stepMs apart. */
export interface ChainShape {
  n: number;
  startMs: number;
  stepMs: number;
}

export interface SeedRow {
  seq: number;
  id: string;
  at: string;
  actor_id: string;
  actor_email: string;
  action: string;
  targets: string;
  query: string;
  request_id: string;
  outcome: string;
  detail: null;
  session_id: string;
  client_address: string;
  user_agent: string;
  refusal: null;
  purpose: null;
  prev_hash: string;
  hash: string;
  targetIds: string[];
}

/** Yields the chain in order, `size` rows at a time, each hashed exactly as the recorder would. */
export function* chain({ n: N, startMs: START_MS, stepMs: STEP_MS }: ChainShape, size: number): Generator<SeedRow[]> {
  const rand = createRandom(42);
  let prev = GENESIS_HASH;
  let batch: SeedRow[] = [];
  for (let seq = 1; seq <= N; seq++) {
    const staff = Math.floor(rand() * STAFF);
    const r = rand();
    const customer = () => `cus_${Math.floor(rand() * CUSTOMERS)}`;
    const [action, targetIds, query] =
      r < 0.3
        ? (["customers.list", Array.from({ length: 5 }, customer), `{"skip":${Math.floor(rand() * 40) * 25},"take":25}`] as const)
        : r < 0.8
          ? (() => {
              const c = customer();
              return ["customer.view", [c], `{"id":"${c}"}`] as const;
            })()
          : r < 0.9
            ? (() => {
                const c = customer();
                return ["customer.reveal", [c], `{"id":"${c}"}`] as const;
              })()
            : (["audit.view", [], `{"path":"/audit"}`] as const);
    const ids = [...new Set(targetIds)];
    const fields = {
      id: randomUUID(),
      at: new Date(START_MS + seq * STEP_MS).toISOString(),
      actor_id: `staff-${staff}`,
      actor_email: `staff${staff}@bench.local`,
      action,
      targets: JSON.stringify(targetIds),
      query,
      request_id: randomUUID(),
      outcome: rand() < 0.97 ? "ok" : "denied",
      detail: null,
      session_id: `sid-${staff}`,
      client_address: `10.0.${staff % 256}.1`,
      user_agent: "Mozilla/5.0 (bench)",
      refusal: null,
      purpose: null,
    };
    const hash = createHash("sha256").update(canonicalEventString(prev, fields), "utf8").digest("hex");
    batch.push({ seq, ...fields, prev_hash: prev, hash, targetIds: ids });
    prev = hash;
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// Every hashed field, the origin columns included (they are in the hash; without them the seeded chain does not
// verify): the columns an export carries, which are every stored one.
export const COLUMNS = CSV_COLUMNS;

type Filter = Parameters<typeof searchEvents>[1];
type Timing = { p50: number; p95: number };

export async function times(RUNS: number, make: (i: number) => Promise<unknown>): Promise<Timing> {
  const took: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await make(i);
    took.push(performance.now() - started);
  }
  return { p50: percentile(took, 50), p95: percentile(took, 95) };
}

/** The page (searchEvents, page of 50) and the count probe (countUpTo, "more than 1,000") for one filter shape. */
export async function timeFilter(db: Kysely<Database>, RUNS: number, make: (i: number) => Filter) {
  const filters = Array.from({ length: RUNS }, (_, i) => make(i));
  await searchEvents(db, filters[0] ?? {});
  const page = await times(RUNS, (i) => searchEvents(db, filters[i] ?? {}));
  const count = await times(RUNS, (i) => countUpTo(db, filters[i] ?? {}));
  return { page, count };
}

export const DAY = 86_400_000;
const ACTIONS = ["customers.list", "customer.view", "customer.reveal", "audit.view"];

/** Every filter the audit page offers, alone and in the combinations its form produces most. */
export function filterShapes(rand: () => number, { n: N, startMs: START_MS }: { n: number; startMs: number }): [string, (i: number) => Filter][] {
  const pick = (n: number) => Math.floor(rand() * n);
  const dayStart = () => new Date(START_MS + (1 + pick(Math.floor(SPAN_MS / DAY) - 2)) * DAY).toISOString();
  const oneDay = () => {
    const from = dayStart();
    return { from, to: new Date(Date.parse(from) + DAY).toISOString() };
  };
  return [
    ["customer id", () => ({ customer: `cus_${pick(CUSTOMERS)}` })],
    ["staff id", () => ({ actor: `staff-${pick(STAFF)}` })],
    ["staff email", () => ({ actor: `staff${pick(STAFF)}@bench.local` })],
    ["action", () => ({ action: ACTIONS[pick(ACTIONS.length)] })],
    ["outcome denied (3 %)", () => ({ outcome: "denied" })],
    ["client address", () => ({ address: `10.0.${pick(STAFF)}.1` })],
    ["session", () => ({ session: `sid-${pick(STAFF)}` })],
    ["from (a day, open end)", () => ({ from: dayStart() })],
    ["to (a day, open start)", () => ({ to: dayStart() })],
    ["one-day range", oneDay],
    ["staff id + one-day range", () => ({ actor: `staff-${pick(STAFF)}`, ...oneDay() })],
    ["staff email + action", () => ({ actor: `staff${pick(STAFF)}@bench.local`, action: ACTIONS[pick(ACTIONS.length)] })],
    ["action + outcome denied", () => ({ action: ACTIONS[pick(ACTIONS.length)], outcome: "denied" })],
    ["customer + one-day range", () => ({ customer: `cus_${pick(CUSTOMERS)}`, ...oneDay() })],
    ["staff id, cursor mid-chain", () => ({ actor: `staff-${pick(STAFF)}`, cursor: { seq: Math.floor(N / 2), dir: "older" as const } })],
    ["no filter", () => ({})],
  ];
}
