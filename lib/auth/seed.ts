import "server-only";
import { getDb } from "@/lib/db";
import { readDevdraftConfig } from "@/lib/devdraft/config";
import { readPortalEnv } from "@/lib/env";
import { syncDemoStaff } from "./staff-store";

let seeded: Promise<void> | null = null;

/**
 * Demo mode: the built-in sandbox on the embedded store, a portal on one laptop. Anywhere else (a real Devdraft, or
 * a shared PostgreSQL that other instances and people use) the demo accounts, with their published password, must
 * not exist, and a store that still holds them from a demo run refuses them.
 */
export function demoAccountsAllowed(): boolean {
  // Asked on every request of a demo account (lib/auth/session.ts): the settings are parsed again only when the two
  // variables the answer depends on change.
  const key = `${process.env.DEVDRAFT_API_URL ?? ""}\u0000${process.env.DATABASE_URL ?? ""}`;
  if (demo?.key !== key) demo = { key, allowed: readDevdraftConfig().embedded && !readPortalEnv().DATABASE_URL };
  return demo.allowed;
}
let demo: { key: string; allowed: boolean } | undefined;

/** Once per process: demo accounts created (or enabled) in demo mode, disabled in any other. */
export function ensureStaffSeeded(): Promise<void> {
  seeded ??= (async () => syncDemoStaff(await getDb(), demoAccountsAllowed()))().catch((err: unknown) => {
    seeded = null;
    throw err;
  });
  return seeded;
}
