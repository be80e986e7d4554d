import { describe, expect, it } from "vitest";
import { groupAccess } from "./group-access";

const ev = (id: string, at: string, action = "customers.list", actor_email: string | null = "a@x.io", outcome = "ok") => ({
  id,
  at,
  action,
  actor_email,
  outcome,
});

describe("groupAccess", () => {
  it("folds one person's repeated listings within a minute into one row with a count, keeping the newest time", () => {
    const rows = groupAccess([ev("3", "2026-11-30T10:05:50Z"), ev("2", "2026-11-30T10:05:10Z"), ev("1", "2026-11-30T10:05:01Z")]);
    expect(rows).toEqual([{ ...ev("3", "2026-11-30T10:05:50Z"), times: 3 }]);
  });
  it("keeps apart another minute, another person, another action and another outcome", () => {
    const rows = groupAccess([
      ev("6", "2026-11-30T10:06:00Z"),
      ev("5", "2026-11-30T10:05:59Z"),
      ev("4", "2026-11-30T10:05:58Z", "customers.list", "b@x.io"),
      ev("3", "2026-11-30T10:05:57Z", "customer.view"),
      ev("2", "2026-11-30T10:05:56Z", "customer.view", "a@x.io", "denied"),
    ]);
    expect(rows.map((r) => [r.id, r.times])).toEqual([
      ["6", 1],
      ["5", 1],
      ["4", 1],
      ["3", 1],
      ["2", 1],
    ]);
  });
  it("does not fold events that are not next to each other", () => {
    const rows = groupAccess([ev("3", "2026-11-30T10:05:03Z"), ev("2", "2026-11-30T10:05:02Z", "customer.view"), ev("1", "2026-11-30T10:05:01Z")]);
    expect(rows.map((r) => r.times)).toEqual([1, 1, 1]);
  });
});
