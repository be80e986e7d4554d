// Takes a consistent online backup of the store PORTAL_DATA_DIR or DATABASE_URL names, while the portal runs:
// SQLite through better-sqlite3's online backup API, PostgreSQL with pg_dump (custom format) on one snapshot. The
// file starts with a header naming its kind and the audit chain head it holds (lib/db/backup.ts).
// Prints one line; exits 2 when it cannot back up (nothing is written then).
// Run: node --conditions=react-server --import tsx scripts/backup.ts --out FILE
import { parseArgs } from "node:util";
import { BackupError, backupStore } from "../lib/db/backup";
import { storeConfigFromEnv } from "../lib/db/config";
import { runStoreCommand } from "./store-command";

const { values } = parseArgs({ options: { out: { type: "string" } } });
await runStoreCommand("backup", async () => {
  if (!values.out) throw new BackupError("--out FILE is required (where the backup goes; never overwritten)");
  const config = storeConfigFromEnv();
  const m = await backupStore(config, values.out);
  return `backup of the ${m.kind === "sqlite" ? "SQLite" : `PostgreSQL (schema ${m.schema})`} store written to ${values.out}: audit events through seq ${m.auditHead.seq}, migration ${m.migration ?? "none"}, ${m.payloadBytes} bytes, sha256 ${m.sha256}`;
});
