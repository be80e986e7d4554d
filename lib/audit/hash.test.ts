import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";
import { type AuditHashFields, canonicalEventString, GENESIS_HASH, hashEvent } from "./hash";

const fields: AuditHashFields = {
  id: "7f1c3c1e-6d0e-4f59-9a40-2b9f0f3f0a11",
  at: "2026-01-02T03:04:05.678Z",
  actor_id: "staff-1",
  actor_email: "agent@example.com",
  action: "customer.view",
  targets: '["cus_1"]',
  query: '{"id":"cus_1"}',
  request_id: "req-1",
  outcome: "ok",
  detail: null,
  session_id: null,
  client_address: null,
  user_agent: null,
  refusal: null,
  purpose: null,
};

const withOrigin: AuditHashFields = { ...fields, session_id: "sid-1", client_address: "203.0.113.7", user_agent: "Mozilla/5.0", refusal: null, purpose: null };

describe("hashEvent", () => {
  it("is sha256 hex over a fixed-order serialisation including prev_hash", () => {
    expect(GENESIS_HASH).toBe("0".repeat(64));
    expect(canonicalEventString(GENESIS_HASH, fields)).toBe(
      `["${GENESIS_HASH}","7f1c3c1e-6d0e-4f59-9a40-2b9f0f3f0a11","2026-01-02T03:04:05.678Z","staff-1","agent@example.com","customer.view","[\\"cus_1\\"]","{\\"id\\":\\"cus_1\\"}","req-1","ok",null]`,
    );
    expect(hashEvent(GENESIS_HASH, fields)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes when any field or the previous hash changes, not when key order does", () => {
    const base = hashEvent(GENESIS_HASH, fields);
    expect(hashEvent("1".repeat(64), fields)).not.toBe(base);
    for (const [key, value] of Object.entries(fields)) {
      expect(hashEvent(GENESIS_HASH, { ...fields, [key]: `${String(value)}x` })).not.toBe(base);
    }
    const { detail, outcome, id, ...rest } = fields;
    const reordered: AuditHashFields = { detail, outcome, ...rest, id };
    expect(hashEvent(GENESIS_HASH, reordered)).toBe(base);
    expect(hashEvent(GENESIS_HASH, { ...fields, actor_id: null })).not.toBe(hashEvent(GENESIS_HASH, { ...fields, actor_id: "null" }));
  });

  it("keeps the 11-item form for events without origin, so events written before the origin columns still verify", () => {
    expect(JSON.parse(canonicalEventString(GENESIS_HASH, fields))).toHaveLength(11);
    expect(JSON.parse(canonicalEventString(GENESIS_HASH, withOrigin))).toHaveLength(16);
  });

  it("covers every origin field: changing or blanking any one changes the hash", () => {
    const base = hashEvent(GENESIS_HASH, withOrigin);
    for (const key of ["session_id", "client_address", "user_agent", "refusal", "purpose"] as const) {
      expect(hashEvent(GENESIS_HASH, { ...withOrigin, [key]: "changed" })).not.toBe(base);
    }
    expect(hashEvent(GENESIS_HASH, { ...withOrigin, session_id: null, client_address: null, user_agent: null })).not.toBe(base);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined like JSON", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it("refuses values JSON would silently mangle", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/\$\.n/);
    expect(() => canonicalJson({ b: 1n })).toThrow(/bigint/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });
});
