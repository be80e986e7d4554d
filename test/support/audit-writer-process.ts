// Child process for multi-process.test.ts (run with: node --conditions=react-server --import tsx).
// argv: <sqlite|postgres> <file-or-url> <actorId> <count> <inFlight>. Prints "ready", waits for "go"
// on stdin so both writers start together, records, then prints a JSON summary line.
import { createInterface } from "node:readline";
import { z } from "zod";
import { createDb } from "../../lib/db/connect";
import { createAuditRecorder } from "../../lib/audit/recorder";

const [kind, target, actorId, count, inFlight] = z
  .tuple([z.enum(["sqlite", "postgres"]), z.string(), z.string(), z.coerce.number().int().positive(), z.coerce.number().int().positive()])
  .parse(process.argv.slice(2));

const db = createDb(kind === "sqlite" ? { kind, file: target } : { kind, url: target });
const batches: number[] = [];
const recorder = createAuditRecorder(db, { onBatch: (b) => batches.push(b.size) });

await db.selectFrom("audit_chain_head").select("seq").execute();
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) if (line === "go") break;

let next = 0;
const failures: string[] = [];
async function worker(): Promise<void> {
  while (next < count) {
    const i = next++;
    await recorder
      .record({
        actor: { id: actorId, email: `${actorId}@example.com` },
        action: "customer.view",
        targets: [`cus_${i}`],
        query: { i },
        requestId: `${actorId}-${i}`,
        outcome: "ok",
      })
      .catch((error: unknown) => failures.push(String(error)));
  }
}
await Promise.all(Array.from({ length: inFlight }, worker));
await recorder.close();
await db.destroy();
process.stdout.write(`${JSON.stringify({ failures, batches: batches.length })}\n`);
