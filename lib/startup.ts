import "server-only";
import { ensureStaffSeeded } from "@/lib/auth/seed";
import { getDb } from "@/lib/db";
import { readDevdraftConfig } from "@/lib/devdraft/config";
import { readPortalEnv } from "@/lib/env";

/** Checks every setting, then opens the store (applying migrations) and seeds staff; exits on failure. */
export async function checkStartupOrExit(): Promise<void> {
  const problems: string[] = [];
  for (const check of [readPortalEnv, readDevdraftConfig]) {
    try {
      check();
    } catch (err) {
      problems.push(...(err instanceof Error ? err.message.split("\n") : [String(err)]));
    }
  }
  if (problems.length === 0) {
    try {
      await getDb();
      await ensureStaffSeeded();
    } catch (err) {
      problems.push(`the store could not be opened: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) {
    for (const line of problems) process.stderr.write(`portal: ${line}\n`);
    process.exit(1);
  }
}
