// Restores a backup made by scripts/backup.ts into the store PORTAL_DATA_DIR or DATABASE_URL names, which must be
// empty; a store with anything in it, a backup of the other kind, or a damaged file is refused and nothing changes.
// Stop the portal first. Afterwards run `npm run audit:verify`: it names the events since the backup that the signed
// checkpoints know of and the restored store does not (docs/operations.md, Restore).
// Prints one line; exits 2 when it cannot restore.
// Run: node --conditions=react-server --import tsx scripts/restore.ts --from FILE
import { parseArgs } from "node:util";
import { BackupError, restoreStore } from "../lib/db/backup";
import { storeConfigFromEnv } from "../lib/db/config";
import { runStoreCommand } from "./store-command";

const { values } = parseArgs({ options: { from: { type: "string" } } });
await runStoreCommand("restore", async () => {
  if (!values.from) throw new BackupError("--from FILE is required (a file written by npm run backup)");
  const m = await restoreStore(storeConfigFromEnv(), values.from);
  return `restored ${values.from} (taken ${m.createdAt}): audit events through seq ${m.auditHead.seq}; now run npm run audit:verify`;
});
