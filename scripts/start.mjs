#!/usr/bin/env node
// `npm start` / `npm run dev`: build when needed, start the built-in Devdraft sandbox unless a real
// Devdraft is configured, then serve the portal. Children stop when this process stops.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isPrecompressed, precompressStatic } from "./static-assets.mjs";

const root = resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = env.PORT ?? "3000";
const dataDir = resolve(root, env.PORTAL_DATA_DIR ?? ".data");
const embedded = !env.DEVDRAFT_API_URL;
const nextBin = join(root, "node_modules", "next", "dist", "bin", "next");
const children = new Set();

function say(line) {
  process.stdout.write(`[portal] ${line}\n`);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function needsBuild() {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    "app",
    "components",
    "lib",
    "sandbox/defaults.ts",
    "proxy.ts",
    "instrumentation.ts",
    "public",
    "types",
    "next.config.ts",
    "tailwind.config.ts",
    "postcss.config.mjs",
    "package-lock.json",
    "tsconfig.json",
  ];
  return sources.some((s) => newestMtime(join(root, s)) > built);
}

function persistentSecret() {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "nextauth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

function run(args, name) {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  children.add(child);
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping`);
      stop(typeof code === "number" && code !== 0 ? code : 1);
    }
  });
  return child;
}

// The portal finishes its requests, audit writes and last checkpoint within SHUTDOWN_DEADLINE_MS of the signal
// (lib/lifecycle/shutdown.ts); it gets that and a few seconds more before SIGKILL. A bad value is the portal's to
// report at start-up (lib/env.ts); here it only falls back to the default.
const deadlineSetting = Number(env.SHUTDOWN_DEADLINE_MS);
const SHUTDOWN_DEADLINE_MS = Number.isInteger(deadlineSetting) && deadlineSetting >= 1000 ? deadlineSetting : 25_000;
const KILL_AFTER_MS = SHUTDOWN_DEADLINE_MS + 5_000;
let portal = null;

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r));
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  const killer = setTimeout(() => {
    say(`still running ${KILL_AFTER_MS} ms after SIGTERM: killing`);
    for (const child of children) child.kill("SIGKILL");
    process.exit(code || 1);
  }, KILL_AFTER_MS);
  killer.unref();
  // The portal first, while the sandbox still answers its requests in flight; then the rest.
  if (portal && children.has(portal)) {
    portal.kill("SIGTERM");
    await exited(portal);
    // A portal that could not finish within its deadline says so with its exit code.
    if (portal.exitCode) code = portal.exitCode;
  }
  for (const child of children) child.kill("SIGTERM");
  await Promise.all([...children].map(exited));
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

if (embedded) {
  env.NEXTAUTH_SECRET ??= persistentSecret();
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  env.SANDBOX_PORT ??= "4010";
}
env.PORTAL_DATA_DIR = dataDir;

if (process.argv.includes("--print-config")) {
  const printed = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/print-config.ts"], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  process.exit(printed.status ?? 1);
}

if (!dev && needsBuild()) {
  say("building the portal (next build)...");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The static assets precompressed for this build (brotli 11, gzip 9), once after each build.
if (!dev && !(await isPrecompressed(join(root, ".next")))) {
  say("precompressing the static assets (scripts/static-assets.mjs)...");
  await precompressStatic(join(root, ".next"));
}

if (embedded && env.PORTAL_SPAWN_SANDBOX !== "0") {
  run(["--import", "tsx", "sandbox/main.ts"], "sandbox");
  await waitFor(`http://127.0.0.1:${env.SANDBOX_PORT}/__sandbox/health`, 60_000);
}
// Node refuses request heads over 16 KB with a bare 431 that never reaches the portal, so nothing is recorded.
// At 1.1 MB an oversized query reaches the gate, which answers Devdraft's 400 and records it capped at 2 KB.
const MAX_HEADER_BYTES = 1_100_000;
// Production: scripts/server.mjs (Next's handler on a server the portal owns, for an orderly shutdown); dev: next dev.
env.PORT = port;
portal = run([`--max-http-header-size=${MAX_HEADER_BYTES}`, ...(dev ? [nextBin, "dev", "-p", port] : ["scripts/server.mjs"])], "portal");
say(`portal on http://localhost:${port}${embedded ? ` (built-in sandbox on ${env.SANDBOX_PORT}, store in ${dataDir})` : ""}`);
