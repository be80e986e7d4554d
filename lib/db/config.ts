import "server-only";
import { join } from "node:path";
import { z } from "zod";

export const storeConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sqlite"), file: z.string().min(1) }),
  z.object({ kind: z.literal("postgres"), url: z.string().min(1) }),
]);

export type StoreConfig = z.infer<typeof storeConfigSchema>;

type Env = Readonly<Record<string, string | undefined>>;

/** DATABASE_URL set → PostgreSQL; otherwise SQLite at `${PORTAL_DATA_DIR ?? ".data"}/portal.sqlite`. */
export function storeConfigFromEnv(env: Env = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: "postgres", url };
  const dir = env.PORTAL_DATA_DIR?.trim() || ".data";
  return { kind: "sqlite", file: join(dir, "portal.sqlite") };
}
