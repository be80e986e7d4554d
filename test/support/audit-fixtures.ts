// Test support (not a test file).
import type { AuditInput } from "../../lib/audit/input";

export function sampleInput(overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    actor: { id: "staff-1", email: "agent@example.com" },
    action: "customer.view",
    targets: ["cus_1"],
    query: { id: "cus_1" },
    requestId: crypto.randomUUID(),
    outcome: "ok",
    ...overrides,
  };
}
