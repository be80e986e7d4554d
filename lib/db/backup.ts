import "server-only";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { SQLITE_BUSY_TIMEOUT_MS } from "./connect";
import type { StoreConfig } from "./config";
import type { StoreKind } from "./dialect";

/**
 * A backup file is one header line, `devdraft-portal-backup <manifest JSON>\n`, then the payload: the SQLite database
 * as better-sqlite3's online backup API copied it, or a `pg_dump --format=custom` archive of the store's schema. The
 * manifest says which (restore refuses the other kind), the audit chain head the snapshot holds, and the payload's
 * size and SHA-256 (restore refuses a cut or damaged file before it touches the store).
 */
export const BACKUP_MAGIC = "devdraft-portal-backup";
const MAX_HEADER_BYTES = 64 * 1024;

export interface BackupManifest {
  format: 1;
  kind: StoreKind;
  createdAt: string;
  /** PostgreSQL: the schema the store's tables live in (the one dumped). */
  schema: string | null;
  /** The audit chain head in the snapshot: the last event the backup holds. */
  auditHead: { seq: number; hash: string };
  /** The newest migration applied in the snapshot. */
  migration: string | null;
  /** What made the payload: `better-sqlite3 online backup` or `pg_dump (PostgreSQL) 15.x, custom format`. */
  tool: string;
  payloadBytes: number;
  sha256: string;
}

/** A backup or restore that cannot go ahead; the message says why and what to do, and nothing was changed. */
export class BackupError extends Error {
  override name = "BackupError";
}

export interface PgTools {
  /** Directory with pg_dump, pg_restore (Debian: /usr/lib/postgresql/<major>/bin); default: the server's major. */
  binDir?: string;
}

const describeStore = (config: StoreConfig) => (config.kind === "sqlite" ? `SQLite store at ${config.file}` : `PostgreSQL store ${redact(config.url)}`);
const otherSetting = (kind: StoreKind) => (kind === "sqlite" ? "PORTAL_DATA_DIR set and DATABASE_URL unset" : "DATABASE_URL set");

function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return "(DATABASE_URL)";
  }
}

/**
 * Takes a consistent online backup of the store into `out` (refused when it exists). Safe while the portal runs:
 * SQLite is copied page by page by the online backup API (writers carry on; the copy is one point in time), and
 * PostgreSQL is dumped on one exported snapshot, the same one the manifest's audit head is read from.
 */
export async function backupStore(config: StoreConfig, out: string, tools: PgTools = {}): Promise<BackupManifest> {
  if (existsSync(out)) throw new BackupError(`${out} already exists: a backup never overwrites a file; choose another --out`);
  mkdirSync(dirname(out), { recursive: true });
  const payload = `${out}.${process.pid}.${randomBytes(4).toString("hex")}.payload`;
  try {
    const taken = config.kind === "sqlite" ? await backupSqlite(config.file, payload) : await backupPostgres(config.url, payload, tools);
    const { bytes, sha256 } = await digest(payload, 0);
    const manifest: BackupManifest = { format: 1, kind: config.kind, createdAt: new Date().toISOString(), ...taken, payloadBytes: bytes, sha256 };
    const partial = `${out}.${process.pid}.partial`;
    writeFileSync(partial, `${BACKUP_MAGIC} ${JSON.stringify(manifest)}\n`, { flag: "wx", mode: 0o600 });
    try {
      await pipeline(createReadStream(payload), createWriteStream(partial, { flags: "a" }));
      // A link, not a rename: it fails instead of replacing a file someone created at `out` meanwhile.
      linkSync(partial, out);
    } finally {
      rmSync(partial, { force: true });
    }
    return manifest;
  } finally {
    rmSync(payload, { force: true });
  }
}

type Taken = Pick<BackupManifest, "schema" | "auditHead" | "migration" | "tool">;

async function backupSqlite(file: string, payload: string): Promise<Taken> {
  if (!existsSync(file)) throw new BackupError(`no SQLite store at ${file} (set PORTAL_DATA_DIR, or DATABASE_URL for PostgreSQL)`);
  const source = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    source.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // All remaining pages in one step, on one read snapshot: WAL lets the portal's writers carry on meanwhile, and a
    // write between small steps would restart the copy (for ever, on a busy log).
    await source.backup(payload, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new SqliteDatabase(payload, { readonly: true, fileMustExist: true });
  try {
    return { schema: null, ...readSqliteState(copy, file), tool: "better-sqlite3 online backup" };
  } finally {
    copy.close();
  }
}

function readSqliteState(db: SqliteDatabase.Database, where: string): Pick<BackupManifest, "auditHead" | "migration"> {
  const has = (name: string) => db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
  if (!has("audit_chain_head")) throw new BackupError(`${where} is not a portal store (it has no audit_chain_head table)`);
  const head = db.prepare("select seq, hash from audit_chain_head where id = 1").get() as { seq: number; hash: string } | undefined;
  if (!head) throw new BackupError(`${where} has no audit chain head row`);
  const migration = has("kysely_migration")
    ? ((db.prepare("select max(name) as name from kysely_migration").get() as { name: string | null }).name ?? null)
    : null;
  return { auditHead: { seq: Number(head.seq), hash: head.hash }, migration };
}

async function withPgClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError(`cannot connect to the PostgreSQL store ${redact(url)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function pgState(client: pg.Client, schema: string, where: string): Promise<Pick<BackupManifest, "auditHead" | "migration">> {
  const q = (text: string) => `select ${text}`;
  const tables = await client.query<{ name: string }>("select tablename as name from pg_tables where schemaname = $1", [schema]);
  const names = new Set(tables.rows.map((r) => r.name));
  if (!names.has("audit_chain_head")) throw new BackupError(`${where} is not a portal store (schema "${schema}" has no audit_chain_head table)`);
  const ident = client.escapeIdentifier(schema);
  const head = (await client.query<{ seq: string; hash: string }>(q(`seq::text as seq, hash from ${ident}.audit_chain_head where id = 1`))).rows[0];
  if (!head) throw new BackupError(`${where} has no audit chain head row`);
  const migration = names.has("kysely_migration")
    ? ((await client.query<{ name: string | null }>(q(`max(name) as name from ${ident}.kysely_migration`))).rows[0]?.name ?? null)
    : null;
  return { auditHead: { seq: Number(head.seq), hash: head.hash }, migration };
}

async function backupPostgres(url: string, payload: string, tools: PgTools): Promise<Taken> {
  return withPgClient(url, async (client) => {
    // One snapshot for the manifest and pg_dump: the transaction exporting it stays open until pg_dump is done.
    await client.query("begin isolation level repeatable read read only");
    try {
      const { snapshot, schema, version } = (
        await client.query<{ snapshot: string; schema: string | null; version: string }>(
          "select pg_export_snapshot() as snapshot, current_schema() as schema, current_setting('server_version_num') as version",
        )
      ).rows[0] as { snapshot: string; schema: string | null; version: string };
      if (!schema) throw new BackupError(`the search_path of ${redact(url)} names no existing schema: nothing to back up`);
      const state = await pgState(client, schema, `the PostgreSQL store ${redact(url)}`);
      const bin = tools.binDir ?? pgBinDir(Math.floor(Number(version) / 10000));
      await runTool(join(bin, "pg_dump"), [
        "--format=custom",
        `--snapshot=${snapshot}`,
        `--schema=${quotePattern(schema)}`,
        `--file=${payload}`,
        `--dbname=${libpqUrl(url)}`,
      ]);
      const dumpVersion = (await runTool(join(bin, "pg_dump"), ["--version"])).trim();
      return { schema, ...state, tool: `${dumpVersion}, custom format` };
    } finally {
      await client.query("commit").catch(() => {});
    }
  });
}

/**
 * The connection string as libpq's tools read it: the query's spaces as %20 (node's URL writes `+`, which libpq
 * does not decode, so `options=-c search_path=x` would reach the server as `-c+search_path=x`).
 */
function libpqUrl(url: string): string {
  try {
    const u = new URL(url);
    const query = [...u.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
    u.search = "";
    return query ? `${u.toString()}?${query}` : u.toString();
  } catch {
    return url;
  }
}

/** pg_dump's --schema takes a pattern: a double-quoted name is matched as written. */
const quotePattern = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Debian's PostgreSQL binaries for the server's major version (pg_dump must be at least the server's). */
function pgBinDir(serverMajor: number): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .map(Number)
        .filter((v) => Number.isInteger(v) && existsSync(join(root, String(v), "bin", "pg_dump")))
        .sort((a, b) => a - b)
    : [];
  const major = majors.includes(serverMajor) ? serverMajor : majors.find((v) => v > serverMajor);
  if (major === undefined) {
    throw new BackupError(`no pg_dump for PostgreSQL ${serverMajor} or newer under ${root}/*/bin: install Debian's postgresql-client-${serverMajor}`);
  }
  return join(root, String(major), "bin");
}

/** Runs a PostgreSQL tool; resolves to its stdout, rejects with its stderr. */
function runTool(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(new BackupError(`cannot run ${file}: ${e.message}`)));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new BackupError(`${file.split("/").pop()} failed (exit ${code}): ${err.trim()}`))));
  });
}

async function digest(file: string, start: number): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file, { start })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

/** The manifest and where the payload starts; a file that is not a whole portal backup is refused. */
export async function readBackup(file: string): Promise<{ manifest: BackupManifest; payloadOffset: number }> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError(`no backup file at ${file}`);
  const fd = openSync(file, "r");
  const head = Buffer.alloc(MAX_HEADER_BYTES);
  let read: number;
  try {
    read = readSync(fd, head, 0, MAX_HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const end = head.subarray(0, read).indexOf(0x0a);
  const line = end < 0 ? "" : head.subarray(0, end).toString("utf8");
  if (!line.startsWith(`${BACKUP_MAGIC} `)) throw new BackupError(`${file} is not a portal backup (it does not start with "${BACKUP_MAGIC}")`);
  let raw: { format?: unknown; kind?: unknown };
  try {
    raw = JSON.parse(line.slice(BACKUP_MAGIC.length + 1)) as { format?: unknown; kind?: unknown };
  } catch {
    throw new BackupError(`${file} has a damaged backup header`);
  }
  if (raw.format !== 1 || (raw.kind !== "sqlite" && raw.kind !== "postgres")) {
    throw new BackupError(`${file} is a backup format this portal does not know (format ${String(raw.format)}, kind ${String(raw.kind)})`);
  }
  const manifest = raw as BackupManifest;
  const payloadOffset = end + 1;
  const { bytes, sha256 } = await digest(file, payloadOffset);
  if (bytes !== manifest.payloadBytes || sha256 !== manifest.sha256) {
    throw new BackupError(
      `${file} is damaged or incomplete: its payload is ${bytes} bytes with SHA-256 ${sha256.slice(0, 12)}…, the header says ${manifest.payloadBytes} bytes, ${manifest.sha256.slice(0, 12)}…`,
    );
  }
  return { manifest, payloadOffset };
}

/**
 * Restores a backup into the store the settings name, which must be empty (no tables): a store with anything in it
 * is refused and left as it was. Nothing is half-restored: SQLite is written beside the store, checked and renamed
 * into place; PostgreSQL is restored by pg_restore in one transaction. The portal must not be running on the store.
 */
export async function restoreStore(config: StoreConfig, from: string, tools: PgTools = {}): Promise<BackupManifest> {
  const { manifest, payloadOffset } = await readBackup(from);
  if (manifest.kind !== config.kind) {
    throw new BackupError(
      `${from} is a backup of a ${manifest.kind === "sqlite" ? "SQLite" : "PostgreSQL"} store, but the settings name a ${describeStore(config)}: ` +
        `restore it with ${otherSetting(manifest.kind)}`,
    );
  }
  if (config.kind === "sqlite") await restoreSqlite(config.file, from, payloadOffset, manifest);
  else await restorePostgres(config.url, from, payloadOffset, manifest, tools);
  return manifest;
}

function sqliteTables(file: string): number {
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("select count(*) as n from sqlite_master where type in ('table', 'view')").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function restoreSqlite(file: string, from: string, offset: number, manifest: BackupManifest): Promise<void> {
  const tables = sqliteTables(file);
  if (tables > 0) throw new BackupError(`the SQLite store at ${file} is not empty (${tables} tables): restore only into an empty store; move it aside first`);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.restore-${process.pid}.tmp`;
  try {
    await pipeline(createReadStream(from, { start: offset }), createWriteStream(temp, { flags: "wx", mode: 0o600 }));
    const db = new SqliteDatabase(temp, { fileMustExist: true });
    try {
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new BackupError(`the database in ${from} fails SQLite's integrity check: ${String(check)}`);
      const state = readSqliteState(db, from);
      if (state.auditHead.seq !== manifest.auditHead.seq || state.auditHead.hash !== manifest.auditHead.hash) {
        throw new BackupError(`the database in ${from} ends its audit chain at seq ${state.auditHead.seq}, its header says ${manifest.auditHead.seq}`);
      }
      db.pragma("journal_mode = WAL");
    } finally {
      db.close();
    }
    // An empty store's own journal files would be applied to the restored database: they go with it.
    for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

async function restorePostgres(url: string, from: string, offset: number, manifest: BackupManifest, tools: PgTools): Promise<void> {
  const where = `the PostgreSQL store ${redact(url)}`;
  await withPgClient(url, async (client) => {
    const row = (
      await client.query<{ current: string | null; path: string; version: string }>(
        "select current_schema() as current, current_setting('search_path') as path, current_setting('server_version_num') as version",
      )
    ).rows[0] as { current: string | null; path: string; version: string };
    // The schema the store's tables go to: the first on the search_path that exists, else the first named.
    const target = row.current ?? firstSearchPathSchema(row.path);
    if (!target) throw new BackupError(`the search_path of ${where} names no schema to restore into`);
    if (target !== manifest.schema) {
      throw new BackupError(
        `${from} holds schema "${manifest.schema}" but ${where} uses schema "${target}": restore into a database whose search_path names "${manifest.schema}"`,
      );
    }
    const count = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'S')",
      [target],
    );
    const tables = count.rows[0]?.n ?? 0;
    if (tables > 0)
      throw new BackupError(`${where} is not empty (schema "${target}" has ${tables} tables, views or sequences): restore only into an empty store`);
    const exists = (await client.query("select 1 from pg_namespace where nspname = $1", [target])).rowCount === 1;
    const bin = tools.binDir ?? pgBinDir(Math.floor(Number(row.version) / 10000));
    const work = join(tmpdir(), `portal-restore-${process.pid}-${randomBytes(4).toString("hex")}`);
    mkdirSync(work, { mode: 0o700 });
    try {
      const archive = join(work, "payload.dump");
      await pipeline(createReadStream(from, { start: offset }), createWriteStream(archive, { mode: 0o600 }));
      // An existing (empty) schema, such as a new database's public, is kept: its CREATE SCHEMA would fail the restore.
      const listing = await runTool(join(bin, "pg_restore"), ["--list", archive]);
      const keep = listing.split("\n").filter((l) => !(exists && /^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?\S+ /.test(l)));
      const list = join(work, "restore.list");
      writeFileSync(list, keep.join("\n"));
      await runTool(join(bin, "pg_restore"), [
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        `--use-list=${list}`,
        `--dbname=${libpqUrl(url)}`,
        archive,
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const state = await pgState(client, target, where);
    if (state.auditHead.seq !== manifest.auditHead.seq)
      throw new BackupError(
        `after the restore ${where} ends its audit chain at seq ${state.auditHead.seq}, the backup's header says ${manifest.auditHead.seq}`,
      );
  });
}

function firstSearchPathSchema(path: string): string | null {
  for (const raw of path.split(",")) {
    const name = raw
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .replaceAll('""', '"');
    if (name && name !== "$user") return name;
  }
  return null;
}
