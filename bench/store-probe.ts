// The bench's view of a portal's store from outside: its size in bytes (in total and per table or index),
// the newest audit seq, the audit events after a seq by action and outcome, and row counts.
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";

export type EventCount = { action: string; outcome: string; n: number };

export interface StoreProbe {
  /** How totalBytes is measured, for the report. */
  totalNote: string;
  /** How relationBytes is measured, for the report. */
  sizeNote: string;
  totalBytes(): Promise<number>;
  relationBytes(): Promise<Map<string, number>>;
  maxSeq(): Promise<number>;
  eventsAfter(seq: number): Promise<EventCount[]>;
  count(table: "login_attempts" | "audit_events" | "audit_targets"): Promise<number>;
  close(): Promise<void>;
}

const EVENTS_AFTER = "select action, outcome, count(*) as n from audit_events where seq > $seq group by action, outcome order by n desc";
/** One column of a driver's row (an unknown object). */
const field = (row: unknown, key: string): unknown => (row && typeof row === "object" ? Reflect.get(row, key) : undefined);
const numberOf = (row: unknown, key: string) => Number(field(row, key) ?? 0);
const eventCount = (row: unknown): EventCount => ({ action: String(field(row, "action")), outcome: String(field(row, "outcome")), n: numberOf(row, "n") });
const named = (row: unknown): [string, number] => [String(field(row, "name")), numberOf(row, "bytes")];

const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** SQLite: the file plus its -wal, after a TRUNCATE checkpoint, so the WAL's reusable slack is not counted as growth. */
export function sqliteProbe(file: string): StoreProbe {
  const db = new Database(file, { fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  return {
    totalNote: "SQLite file + -wal, each read after a TRUNCATE checkpoint",
    sizeNote: "SQLite dbstat, pages in use",
    async totalBytes() {
      db.pragma("wal_checkpoint(TRUNCATE)");
      return fileSize(file) + fileSize(`${file}-wal`);
    },
    async relationBytes() {
      const rows = db.prepare("select name, sum(pgsize) as bytes from dbstat group by name").all();
      return new Map(rows.map(named));
    },
    async maxSeq() {
      return numberOf(db.prepare("select coalesce(max(seq), 0) as seq from audit_events").get(), "seq");
    },
    async eventsAfter(seq) {
      return db.prepare(EVENTS_AFTER.replace("$seq", "?")).all(seq).map(eventCount);
    },
    async count(table) {
      return numberOf(db.prepare(`select count(*) as n from ${table}`).get(), "n");
    },
    async close() {
      db.close();
    },
  };
}

/** PostgreSQL: the summed total relation sizes (heap, indexes, TOAST) of the tables in the schema of `url`. */
export async function postgresProbe(url: string): Promise<StoreProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const relations = async () =>
    (
      await client.query(
        "select c.relname as name, pg_total_relation_size(c.oid) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind = 'r'",
      )
    ).rows;
  return {
    totalNote: "summed pg_total_relation_size of the schema's tables",
    sizeNote: "pg_total_relation_size per table, indexes and TOAST included",
    async totalBytes() {
      return (await relations()).reduce((sum: number, r: unknown) => sum + numberOf(r, "bytes"), 0);
    },
    async relationBytes() {
      return new Map((await relations()).map(named));
    },
    async maxSeq() {
      return numberOf((await client.query("select coalesce(max(seq), 0) as seq from audit_events")).rows[0], "seq");
    },
    async eventsAfter(seq) {
      return (await client.query(EVENTS_AFTER.replace("$seq", "$1"), [seq])).rows.map(eventCount);
    },
    async count(table) {
      return numberOf((await client.query(`select count(*) as n from ${table}`)).rows[0], "n");
    },
    async close() {
      await client.end();
    },
  };
}
