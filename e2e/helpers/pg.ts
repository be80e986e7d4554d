// One short-lived PostgreSQL connection for a spec's own setup and checks (databases made and dropped, rows read).
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
