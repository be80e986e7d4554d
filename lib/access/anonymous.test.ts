import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditInput } from "@/lib/audit/input";
import { type AnonymousRefusals, createAnonymousRefusals } from "./anonymous";

// The allowance under test (AUDIT_FULL_REFUSALS_PER_MINUTE in production).
const FULL_REFUSALS_PER_MINUTE = 5;

const MINUTE = 60_000;
const START = Date.parse("2026-03-01T10:00:00.000Z");

type Refusal = AuditInput & { origin: NonNullable<AuditInput["origin"]> };

function refusal(address: string, action: Refusal["action"] = "customers.list", requestId = crypto.randomUUID()): Refusal {
  return {
    actor: null,
    action,
    targets: [],
    query: { name: "x" },
    requestId,
    outcome: "denied",
    refusal: "signed out",
    origin: { sessionId: null, clientAddress: address, userAgent: "flood/1.0" },
  };
}

const summaries = (events: readonly AuditInput[]) => events.filter((e) => e.action === "access.refused");
const full = (events: readonly AuditInput[]) => events.filter((e) => e.action !== "access.refused");

describe("refusals of clients without a session", () => {
  let clock: number;
  let recorded: AuditInput[];
  let refusals: AnonymousRefusals;
  beforeEach(() => {
    clock = START;
    recorded = [];
    refusals = createAnonymousRefusals(
      async (input) => {
        recorded.push(input);
      },
      { fullPerMinute: FULL_REFUSALS_PER_MINUTE, now: () => clock },
    );
  });
  afterEach(async () => {
    await refusals.close();
  });

  it("records the first five of an address in a minute in full and counts the rest into one summary", async () => {
    const sent = Array.from({ length: 12 }, (_, i) => refusal("203.0.113.7", i % 2 ? "customer.view" : "customers.list"));
    for (const [i, input] of sent.entries()) {
      clock = START + i * 1_000;
      await refusals.refuse(input);
    }
    expect(recorded).toEqual(sent.slice(0, FULL_REFUSALS_PER_MINUTE));

    await refusals.flush(false);
    expect(summaries(recorded)).toEqual([]);

    clock = START + MINUTE;
    await refusals.flush(false);
    expect(summaries(recorded)).toEqual([
      {
        actor: null,
        action: "access.refused",
        targets: [],
        query: {},
        requestId: expect.any(String),
        outcome: "denied",
        refusal: "summary of refusals without a session",
        origin: { sessionId: null, clientAddress: "203.0.113.7", userAgent: null },
        detail: {
          count: 7,
          first: "2026-03-01T10:00:05.000Z",
          last: "2026-03-01T10:00:11.000Z",
          actions: ["customer.view", "customers.list"],
          minute: "2026-03-01T10:00:00.000Z",
        },
      },
    ]);
  });

  it("writes each minute's summary once, and the next minute starts a fresh allowance", async () => {
    for (let i = 0; i < 8; i++) await refusals.refuse(refusal("203.0.113.7"));
    clock = START + MINUTE + 500;
    const next = refusal("203.0.113.7");
    await refusals.refuse(next);
    expect(summaries(recorded).map((s) => s.detail)).toEqual([expect.objectContaining({ count: 3, minute: "2026-03-01T10:00:00.000Z" })]);
    expect(recorded.at(-1)).toBe(next);

    await refusals.flush(false);
    clock = START + 2 * MINUTE;
    await refusals.flush(false);
    expect(summaries(recorded)).toHaveLength(1);
    expect(full(recorded)).toHaveLength(FULL_REFUSALS_PER_MINUTE + 1);
  });

  it("writes no summary for a minute that stayed within the allowance", async () => {
    for (let i = 0; i < FULL_REFUSALS_PER_MINUTE; i++) await refusals.refuse(refusal("203.0.113.7"));
    clock = START + MINUTE;
    await refusals.flush(true);
    expect(recorded).toHaveLength(FULL_REFUSALS_PER_MINUTE);
    expect(summaries(recorded)).toEqual([]);
  });

  it("counts each client address in its own bucket", async () => {
    for (let i = 0; i < 7; i++) await refusals.refuse(refusal("203.0.113.7"));
    for (let i = 0; i < 6; i++) await refusals.refuse(refusal("198.51.100.2"));
    await refusals.refuse(refusal("2001:db8::1"));
    clock = START + MINUTE;
    await refusals.flush(false);
    expect(full(recorded).map((e) => e.origin?.clientAddress)).toEqual([
      ...Array<string>(5).fill("203.0.113.7"),
      ...Array<string>(5).fill("198.51.100.2"),
      "2001:db8::1",
    ]);
    expect(Object.fromEntries(summaries(recorded).map((s) => [s.origin?.clientAddress, s.detail?.count]))).toEqual({
      "203.0.113.7": 2,
      "198.51.100.2": 1,
    });
  });

  it("writes the summaries of the minute still open on flush(true) and on close()", async () => {
    for (let i = 0; i < 9; i++) await refusals.refuse(refusal("203.0.113.7"));
    await refusals.flush(true);
    expect(summaries(recorded).map((s) => s.detail?.count)).toEqual([4]);

    for (let i = 0; i < 6; i++) await refusals.refuse(refusal("198.51.100.2"));
    await refusals.close();
    expect(summaries(recorded).map((s) => [s.origin?.clientAddress, s.detail?.count])).toEqual([
      ["203.0.113.7", 4],
      ["198.51.100.2", 1],
    ]);
  });

  it("past 10,000 addresses in a minute, new ones share one bucket instead of growing the map", async () => {
    for (let i = 0; i < 10_000; i++) await refusals.refuse(refusal(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    expect(recorded).toHaveLength(10_000);

    for (let i = 0; i < 8; i++) await refusals.refuse(refusal(`172.16.0.${i}`));
    // A known address keeps its own bucket.
    await refusals.refuse(refusal("10.0.0.0"));
    expect(full(recorded)).toHaveLength(10_000 + FULL_REFUSALS_PER_MINUTE + 1);

    await refusals.flush(true);
    expect(summaries(recorded).map((s) => [s.origin?.clientAddress, s.detail?.count])).toEqual([["(other addresses)", 3]]);
  });

  it("never throws out of refuse or flush when the record fails", async () => {
    const failing = createAnonymousRefusals(() => Promise.reject(new Error("store is down")), { fullPerMinute: FULL_REFUSALS_PER_MINUTE, now: () => clock });
    try {
      for (let i = 0; i < 8; i++) await expect(failing.refuse(refusal("203.0.113.7"))).resolves.toBeUndefined();
      await expect(failing.flush(true)).resolves.toBeUndefined();
    } finally {
      await failing.close();
    }

    const throwing = createAnonymousRefusals(
      () => {
        throw new Error("recorder closed");
      },
      { fullPerMinute: FULL_REFUSALS_PER_MINUTE, now: () => clock },
    );
    try {
      for (let i = 0; i < 8; i++) await expect(throwing.refuse(refusal("203.0.113.7"))).resolves.toBeUndefined();
      await expect(throwing.close()).resolves.toBeUndefined();
    } finally {
      await throwing.close();
    }
  });

  it("refusals arriving together at a minute's turn still get only five in full", async () => {
    for (let i = 0; i < 7; i++) await refusals.refuse(refusal("203.0.113.7"));
    clock = START + MINUTE;
    await Promise.all(Array.from({ length: 20 }, () => refusals.refuse(refusal("203.0.113.7"))));
    await refusals.flush(true);
    expect(full(recorded)).toHaveLength(2 * FULL_REFUSALS_PER_MINUTE);
    expect(summaries(recorded).map((s) => s.detail?.count)).toEqual([2, 15]);
  });
});
