// One short-lived PostgreSQL connection for a spec's own setup and checks (databases made and dropped, rows read).
import { randomBytes } from "node:crypto";
import pg from "pg";

export async function withPg<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server `baseUrl` names, for a spec's own portals: its name and URL. */
export async function freshDatabase(baseUrl: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await withPg(baseUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Drops a spec's database, ending any connection still open to it. */
export function dropDatabase(baseUrl: string, name: string): Promise<unknown> {
  return withPg(baseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}
