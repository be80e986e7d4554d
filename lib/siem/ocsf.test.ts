import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS } from "../audit/actions";
import type { AuditEventRow } from "../db/schema";
import { MissingOcsfMappingError, ocsfMappingFor, OCSF_VERSION, toOcsf } from "./ocsf";

function row(overrides: Partial<AuditEventRow> = {}): AuditEventRow {
  return {
    seq: 7,
    id: "6c0f7a52-0000-4000-8000-000000000007",
    at: "2026-03-01T12:34:56.789Z",
    actor_id: "staff-1",
    actor_email: "agent@example.com",
    action: "customer.view",
    targets: JSON.stringify(["cus_1", "cus_2"]),
    query: JSON.stringify({ email: "customer@example.org", name: "Jane Customer" }),
    request_id: "req-1",
    outcome: "ok",
    detail: JSON.stringify({ rows: 2, customer_name: "Jane Customer" }),
    session_id: "sid-1",
    client_address: "203.0.113.9",
    user_agent: "Mozilla/5.0 test",
    refusal: null,
    purpose: "ticket 42 for Jane Customer",
    prev_hash: "a".repeat(64),
    hash: "b".repeat(64),
    ...overrides,
  };
}

// The classes the issue names: customer reads are API Activity, sign-ins Authentication, staff changes Account Change.
const EXPECTED_CLASS: Record<string, number> = {
  "customers.list": 6003,
  "api.customers.list": 6003,
  "customer.view": 6003,
  "customer.reveal": 6003,
  "customers.export": 6003,
  "export.download": 6003,
  "auth.signin": 3002,
  "auth.signout": 3002,
  "auth.session_expired": 3002,
  "auth.step_up": 3002,
  "staff.add": 3001,
  "staff.role_change": 3001,
  "staff.disable": 3001,
  "staff.enable": 3001,
  "staff.reset_password": 3001,
  "staff.password_change": 3001,
  "token.create": 3001,
  "token.revoke": 3001,
};

describe("OCSF mapping", () => {
  it.each(AUDIT_ACTION_NAMES)("maps %s to a full OCSF event", (action) => {
    // Throws MissingOcsfMappingError when a registry action has no `ocsf`.
    const mapping = ocsfMappingFor(action);
    const spec = AUDIT_ACTIONS[action];
    const outcome = spec.outcomes[spec.outcomes.length - 1] ?? "ok";
    const event = toOcsf(row({ action, outcome }), new Map([["staff-1", "Alice Agent"]]));
    expect(event.class_uid).toBe(mapping.class);
    expect(event.category_uid).toBe(Math.floor(mapping.class / 1000));
    expect(event.activity_id).toBe(mapping.activity);
    expect(event.type_uid).toBe(mapping.class * 100 + mapping.activity);
    expect(typeof event.class_name).toBe("string");
    expect(typeof event.activity_name).toBe("string");
    expect(event.severity_id).toBeGreaterThanOrEqual(1);
    expect(event.status_id).toBe(outcome === "ok" ? 1 : 2);
    expect(event.time).toBe(Date.parse("2026-03-01T12:34:56.789Z"));
    expect(event.metadata).toMatchObject({
      version: OCSF_VERSION,
      uid: "6c0f7a52-0000-4000-8000-000000000007",
      original_time: "2026-03-01T12:34:56.789Z",
      log_name: "audit_events",
      product: { name: expect.any(String), vendor_name: "Devdraft", version: expect.any(String) },
    });
    expect(OCSF_VERSION).toMatch(/^1\.\d+\.0$/);
    expect(event.actor).toEqual({ user: { uid: "staff-1", email_addr: "agent@example.com", name: "Alice Agent", type_id: 1 }, session: { uid: "sid-1" } });
    expect(event.src_endpoint).toEqual({ ip: "203.0.113.9" });
    expect(event.http_request).toEqual({ user_agent: "Mozilla/5.0 test" });
    expect(event.api).toEqual({ operation: action, request: { uid: "req-1" } });
    expect(event.resources).toEqual([
      { uid: "cus_1", type: "customer" },
      { uid: "cus_2", type: "customer" },
    ]);
    if (EXPECTED_CLASS[action]) expect(event.class_uid).toBe(EXPECTED_CLASS[action]);
    if (mapping.class === 3001 || mapping.class === 3002) expect(event.user).toBeDefined();
  });

  it("sends no customer data beyond ids for customer and audit actions", () => {
    for (const action of AUDIT_ACTION_NAMES.filter((a) => ["customer", "audit"].includes(AUDIT_ACTIONS[a].kind)).concat(["access.refused"])) {
      const text = JSON.stringify(toOcsf(row({ action })));
      expect(text, action).not.toContain("Jane Customer");
      expect(text, action).not.toContain("customer@example.org");
      expect(text, action).toContain("cus_1");
    }
  });

  it("maps alert.* actions by name to Detection Findings (2004), also before they are registered", () => {
    expect(ocsfMappingFor("alert.bulk_viewing")).toEqual({ class: 2004, activity: 1 });
    expect(ocsfMappingFor("alert.acknowledge")).toEqual({ class: 2004, activity: 2 });
    const event = toOcsf(row({ action: "alert.bulk_viewing", targets: "[]" }));
    expect(event).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      type_uid: 200401,
      severity_id: 4,
      finding_info: { uid: row().id, title: "alert.bulk_viewing" },
    });
    expect(JSON.stringify(event)).not.toContain("Jane Customer");
  });

  it("puts the staff email tried on a refused sign-in in user, and a staff change's account in user", () => {
    const signin = toOcsf(
      row({
        action: "auth.signin",
        outcome: "denied",
        actor_id: null,
        actor_email: null,
        query: JSON.stringify({ email: "who@example.com", provider: "credentials" }),
        refusal: "wrong password",
      }),
    );
    expect(signin).toMatchObject({
      class_uid: 3002,
      activity_id: 1,
      type_uid: 300201,
      status_id: 2,
      status_detail: "wrong password",
      user: { email_addr: "who@example.com" },
      auth_protocol: "credentials",
    });
    const change = toOcsf(row({ action: "staff.disable", actor_id: null, actor_email: null, query: JSON.stringify({ email: "leaver@example.com" }) }));
    expect(change).toMatchObject({ class_uid: 3001, activity_id: 5, type_uid: 300105, user: { email_addr: "leaver@example.com" } });
  });

  it("refuses a registry action without a mapping, and sends an unknown old action as a Base Event", () => {
    expect(() => ocsfMappingFor("no.such_action")).toThrow(MissingOcsfMappingError);
    expect(toOcsf(row({ action: "retired.action" }))).toMatchObject({ class_uid: 0, type_uid: 0 });
  });
});
