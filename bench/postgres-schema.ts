// Benchmarks on PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else a throwaway cluster from
// scripts/postgres.mjs; each run gets a schema of its own, dropped by `drop()`.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function benchPostgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  let base = process.env.DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  if (!base) {
    const started = spawnSync(process.execPath, ["scripts/postgres.mjs", "start"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    base = /^DATABASE_URL=(.+)$/m.exec(started.stdout)?.[1];
    if (started.status !== 0 || !base) throw new Error("could not start PostgreSQL via scripts/postgres.mjs");
  }
  const schema = `bench_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}
