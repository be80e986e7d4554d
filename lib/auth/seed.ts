import "server-only";
import { getDb } from "@/lib/db";
import { readDevdraftConfig } from "@/lib/devdraft/config";
import { syncDemoStaff } from "./staff-store";

let seeded: Promise<void> | null = null;

/** Once per process: demo accounts exist only against the built-in sandbox. */
export function ensureStaffSeeded(): Promise<void> {
  seeded ??= (async () => syncDemoStaff(await getDb(), readDevdraftConfig().embedded))().catch((err: unknown) => {
    seeded = null;
    throw err;
  });
  return seeded;
}
