#!/usr/bin/env node
// Throwaway PostgreSQL cluster for tests, CI and benchmarks.
//   node scripts/postgres.mjs start   -> prints exactly one line: DATABASE_URL=...
//   node scripts/postgres.mjs stop    -> stops the cluster and removes its directory
// Port: PGPORT_TEST (default 54329). Cluster dir: /tmp/devdraft-pg-<port>.
import { spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const PG_ROOT = "/usr/lib/postgresql";
const DATABASE = "portal_test";

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function portFrom(env) {
  const raw = env.PGPORT_TEST ?? "54329";
  const port = Number.parseInt(raw, 10);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PGPORT_TEST must be a TCP port, got "${raw}"`);
  }
  return port;
}

function findBinDir() {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  // Prefer 15 (what CI pins); otherwise the newest installed major.
  const chosen = versions.includes("15") ? "15" : versions[0];
  return chosen ? join(PG_ROOT, chosen, "bin") : null;
}

function run(cmd, args, { asPostgres = false, allowFail = false, env } = {}) {
  const [file, argv] = asPostgres && isRoot() ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  // cwd /tmp: the postgres user may not be able to read the caller's working directory.
  const res = spawnSync(file, argv, { cwd: "/tmp", encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
  if (res.error) throw res.error;
  if (res.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${res.status}): ${(res.stderr || res.stdout).trim()}`);
  }
  return res;
}

function ensureInstalled() {
  const found = findBinDir();
  if (found) return found;
  if (!isRoot()) {
    throw new Error("PostgreSQL not found under /usr/lib/postgresql/*/bin; install it with: sudo apt-get install -y postgresql");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "postgresql"]]) {
    const res = spawnSync("apt-get", args, { env, stdio: ["ignore", process.stderr, process.stderr] });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${res.status})`);
  }
  const installed = findBinDir();
  if (!installed) throw new Error("apt-get installed postgresql but no pg_ctl was found under /usr/lib/postgresql/*/bin");
  return installed;
}

export function clusterPaths(port = portFrom(process.env)) {
  const dir = `/tmp/devdraft-pg-${port}`;
  return { port, dir, data: join(dir, "data"), log: join(dir, "postgres.log") };
}

export function databaseUrl(port = portFrom(process.env)) {
  return `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;
}

function isReady(bin, port) {
  return run(join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)], { allowFail: true }).status === 0;
}

function psql(bin, port, dbname, sqlText) {
  return run(join(bin, "psql"), ["-X", "-q", "-tA", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", dbname, "-c", sqlText]).stdout.trim();
}

function ensureDatabase(bin, port) {
  const exists = psql(bin, port, "postgres", `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`);
  if (exists !== "1") psql(bin, port, "postgres", `CREATE DATABASE ${DATABASE}`);
}

/** A fresh, empty cluster directory the server's OS user owns. */
function makeClusterDir(paths) {
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const uid = Number.parseInt(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout, 10);
    const gid = Number.parseInt(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout, 10);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error("running as root but there is no `postgres` OS user");
    chownSync(paths.dir, uid, gid);
  }
}

// pg_basebackup and a standby's WAL receiver connect for replication, which `all` in pg_hba.conf does not cover.
const REPLICATION_HBA = "host replication all 127.0.0.1/32 trust";

function initCluster(bin, paths) {
  makeClusterDir(paths);
  run(join(bin, "initdb"), ["-D", paths.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], {
    asPostgres: true,
  });
  // Trust, but only over the unix socket in the cluster dir and loopback TCP.
  const hba = ["local all all trust", "host all all 127.0.0.1/32 trust", "host all all ::1/128 trust", REPLICATION_HBA, ""].join("\n");
  writeFileSync(join(paths.data, "pg_hba.conf"), hba);
  if (isRoot()) run("chown", ["postgres:postgres", join(paths.data, "pg_hba.conf")]);
}

/** Starts (or reuses) the test cluster; resolves to its connection URL. */
export async function startPostgres({ port = portFrom(process.env) } = {}) {
  const bin = ensureInstalled();
  const paths = clusterPaths(port);
  if (!isReady(bin, port)) {
    if (!existsSync(join(paths.data, "PG_VERSION"))) initCluster(bin, paths);
    await startServer(bin, paths);
  }
  ensureDatabase(bin, port);
  return databaseUrl(port);
}

async function startServer(bin, paths) {
  // fsync/full_page_writes off: a crashed throwaway cluster is simply re-created.
  const opts = [
    "-c listen_addresses=127.0.0.1",
    `-c port=${paths.port}`,
    `-c unix_socket_directories=${paths.dir}`,
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  run(join(bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", paths.data, "-l", paths.log, "-o", opts], { asPostgres: true });
  for (let i = 0; i < 100 && !isReady(bin, paths.port); i++) await new Promise((r) => setTimeout(r, 100));
  if (!isReady(bin, paths.port)) throw new Error(`PostgreSQL did not become ready on port ${paths.port}; see ${paths.log}`);
}

/**
 * Starts a hot-standby streaming replica of the test cluster on `primaryPort` (which this script started) on `port`:
 * `pg_basebackup -R` copies the primary and writes the standby's primary_conninfo, then the copy starts as a standby.
 * Resolves to the replica's URL for the same database; stop it with stopPostgres({ port }).
 */
export async function startReplica({ primaryPort, port }) {
  const bin = ensureInstalled();
  const primary = clusterPaths(primaryPort);
  const paths = clusterPaths(port);
  if (!isReady(bin, primaryPort)) throw new Error(`no PostgreSQL is running on port ${primaryPort} to replicate`);
  // A cluster started before pg_hba.conf carried the replication line gets it now.
  const hbaFile = join(primary.data, "pg_hba.conf");
  if (!existsSync(hbaFile)) throw new Error(`${hbaFile} not found: startReplica copies a cluster this script started`);
  if (!readFileSync(hbaFile, "utf8").includes(REPLICATION_HBA)) {
    appendFileSync(hbaFile, `${REPLICATION_HBA}\n`);
    psql(bin, primaryPort, "postgres", "SELECT pg_reload_conf()");
  }
  await stopPostgres({ port });
  makeClusterDir(paths);
  run(join(bin, "pg_basebackup"), ["-D", paths.data, "-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres"], {
    asPostgres: true,
  });
  await startServer(bin, paths);
  return databaseUrl(port);
}

/** Stops the test cluster (if running) and removes its directory. */
export async function stopPostgres({ port = portFrom(process.env) } = {}) {
  const bin = findBinDir();
  const paths = clusterPaths(port);
  if (bin && existsSync(join(paths.data, "PG_VERSION"))) {
    run(join(bin, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", paths.data], { asPostgres: true, allowFail: true });
  }
  rmSync(paths.dir, { recursive: true, force: true });
}

async function main(command) {
  if (command === "start") {
    process.stdout.write(`DATABASE_URL=${await startPostgres()}\n`);
  } else if (command === "stop") {
    await stopPostgres();
  } else {
    throw new Error("usage: node scripts/postgres.mjs start|stop");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2]).catch((err) => {
    process.stderr.write(`postgres.mjs: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
