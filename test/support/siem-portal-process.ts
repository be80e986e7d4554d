// Child process for siem-outage.test.ts and the SIEM soak (run with: node --conditions=react-server --import tsx).
// Starts the SIEM stream exactly as the portal's start-up does (settings from the environment, the process-wide
// store from DATABASE_URL / PORTAL_DATA_DIR, the shipper started by the services and stopped when they close) and records staff
// work through the process-wide recorder: a customer read, a sign-in and a staff change in turn, one every
// WORK_INTERVAL_MS. Prints "ready"; on "stop-work" on stdin it stops recording and prints "stopped <count>".
import { createInterface } from "node:readline";
import { recordAudit } from "../../lib/audit/index";
import type { AuditInput } from "../../lib/audit/input";
import { closeServices, services } from "../../lib/services";
import { installShutdown, onShutdownCloseStores } from "../../lib/lifecycle/shutdown";
import { startSiemStreaming } from "../../lib/siem/index";
import { readSiemSettings } from "../../lib/siem/settings";

const interval = Number(process.env.WORK_INTERVAL_MS ?? "100");
const tag = process.env.WORK_TAG ?? "p";
startSiemStreaming((opts) => services().startSiem(opts), readSiemSettings());
// SIGTERM as in the portal: the services close (the recorder's writes, the shipper's last attempt, then the store).
onShutdownCloseStores(closeServices);
installShutdown({
  deadlineMs: 10_000,
  readinessGraceMs: 0,
  log: { info: () => {}, error: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) },
});

let n = 0;
let working = true;
const origin = { sessionId: `sid-${tag}`, clientAddress: "198.51.100.7", userAgent: "siem-outage-test" };
function nextInput(i: number): AuditInput {
  const requestId = `${tag}-${i}`;
  switch (i % 3) {
    case 0:
      return {
        actor: { id: "staff-agent", email: "agent@example.com" },
        action: "customer.view",
        targets: [`cus_${i}`],
        query: { id: `cus_${i}` },
        requestId,
        outcome: "ok",
        origin,
      };
    case 1:
      return {
        actor: { id: "staff-agent", email: "agent@example.com" },
        action: "auth.signin",
        targets: [],
        query: { provider: "credentials" },
        requestId,
        outcome: "ok",
        origin,
      };
    default:
      return {
        actor: null,
        action: "staff.role_change",
        targets: [],
        query: { email: "agent@example.com" },
        requestId,
        outcome: "ok",
        detail: { via: "cli", before: "agent", after: "admin" },
      };
  }
}
async function work(): Promise<void> {
  while (working) {
    await recordAudit(nextInput(n)).then(
      () => n++,
      (err: unknown) => process.stderr.write(`record failed: ${String(err)}\n`),
    );
    await new Promise((r) => setTimeout(r, interval));
  }
}
const working$ = work();
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "stop-work") {
    working = false;
    await working$;
    process.stdout.write(`stopped ${n}\n`);
  }
}
