#!/usr/bin/env node
// `npm run scan`: Debian's sqlmap against every portal API route that takes input, signed in, on a fresh store.
// Installs sqlmap with apt-get when missing (as root), starts the portal and its sandbox on their own ports
// with the upstream limits out of the way (so sqlmap compares real answers, not 429s), runs sqlmap in batch
// mode per route, and exits 1 on any injectable finding, or when a route never answered as expected.
//
// Env: SCAN_PORTAL_PORT (3190), SCAN_SANDBOX_PORT (4190), SCAN_LEVEL (3), SCAN_RISK (2), SCAN_ONLY (a comma
// list of target names, "wapiti" among them), SCAN_WAPITI (0: no wapiti pass), SCAN_OUT (where the tools'
// output, sqlmap's traffic logs and the summary go; a temp dir by default).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

const root = resolve(import.meta.dirname, "..");
const SQLMAP = "/usr/bin/sqlmap";
const PORTAL_PORT = process.env.SCAN_PORTAL_PORT ?? "3190";
const SANDBOX_PORT = process.env.SCAN_SANDBOX_PORT ?? "4190";
const LEVEL = process.env.SCAN_LEVEL ?? "3";
const RISK = process.env.SCAN_RISK ?? "2";
const ONLY =
  process.env.SCAN_ONLY?.split(",")
    .map((s) => s.trim())
    .filter(Boolean) ?? null;
const portal = `http://127.0.0.1:${PORTAL_PORT}`;

function say(line) {
  process.stdout.write(`[scan] ${line}\n`);
}

function ensureSqlmap() {
  if (existsSync(SQLMAP)) return;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`sqlmap is missing at ${SQLMAP}: install it with "sudo apt-get install -y sqlmap".\n`);
    process.exit(1);
  }
  say("installing Debian's sqlmap with apt-get...");
  const opts = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  if (
    spawnSync("apt-get", ["update", "-qq"], opts).status !== 0 ||
    spawnSync("apt-get", ["install", "-y", "-qq", "sqlmap"], opts).status !== 0 ||
    !existsSync(SQLMAP)
  ) {
    process.stderr.write("Could not install sqlmap with apt-get; install it by hand: apt-get install -y sqlmap\n");
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The portal under test: its own ports, a fresh SQLite store, no upstream limit, no cache.

let portalChild = null;
let dataDir = null;

function startPortal() {
  dataDir = mkdtempSync(join(tmpdir(), "portal-scan-store-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/root",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: PORTAL_PORT,
    SANDBOX_PORT,
    SANDBOX_RATE_LIMIT: "0",
    PORTAL_DATA_DIR: dataDir,
    NEXTAUTH_URL: portal,
    DEVDRAFT_RATE_LIMIT_PER_MIN: "100000",
    DEVDRAFT_CACHE_TTL_MS: "0",
    // The login throttle and the audit alert keep working: they are part of what is scanned.
    LOG_LEVEL: "warn",
    PORTAL_LOG_FILE: join(dataDir, "portal.log"),
  };
  // Its own process group: stopping it stops the sandbox and `next start` that start.mjs runs.
  portalChild = spawn(process.execPath, ["scripts/start.mjs"], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
}

async function stopPortal() {
  const child = portalChild;
  portalChild = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {}
    };
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (portalChild?.exitCode !== null) throw new Error(`the portal exited (${portalChild?.exitCode}) before answering`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

// ---------------------------------------------------------------------------------------------------------
// Sessions through next-auth's real credentials flow; cookies as one Cookie header for sqlmap.

function cookiesOf(res, jar = new Map()) {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}
const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function csrf() {
  const res = await fetch(`${portal}/api/auth/csrf`);
  const { csrfToken } = await res.json();
  return { csrfToken, jar: cookiesOf(res) };
}

async function signIn(email) {
  const { csrfToken, jar } = await csrf();
  const res = await fetch(`${portal}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password: "demo", json: "true" }),
    redirect: "manual",
  });
  cookiesOf(res, jar);
  const session = [...jar.keys()].find((k) => k.endsWith("next-auth.session-token"));
  if (!session) throw new Error(`sign-in of ${email} answered ${res.status} without a session`);
  // Only the session: sqlmap tests every cookie it is given at level 2 and up, and only that one is input.
  return `${session}=${jar.get(session)}`;
}

async function api(cookie, path, init = {}) {
  const res = await fetch(`${portal}${path}`, { ...init, headers: { cookie, origin: portal, ...(init.headers ?? {}) } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

// ---------------------------------------------------------------------------------------------------------
// sqlmap, once per route, each with its own output directory and traffic log.

const PARAM = /((?:\(custom\) )?(?:GET|POST|URI|Cookie|PUT|DELETE|JSON|HTTP)?\s*parameter '[^']+')/;

function runSqlmap(target, outDir) {
  const dir = join(outDir, target.name);
  mkdirSync(dir, { recursive: true });
  const traffic = join(dir, "traffic.txt");
  const args = [
    "-u",
    target.url,
    "--batch",
    "--level",
    LEVEL,
    "--risk",
    RISK,
    "--cookie",
    target.cookie,
    "--headers",
    `Origin: ${portal}`,
    "--output-dir",
    dir,
    "-t",
    traffic,
    "--flush-session",
    "--disable-coloring",
    "--timeout",
    "15",
    "--retries",
    "1",
    ...(target.args ?? []),
  ];
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(SQLMAP, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TERM: "dumb", PYTHONWARNINGS: "ignore" } });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("exit", (code) => {
      writeFileSync(join(dir, "stdout.txt"), out);
      resolvePromise({ target, args, code, out, traffic, ms: Date.now() - started });
    });
  });
}

function analyse({ target, args, code, out, traffic, ms }) {
  const lines = out.split(/\r?\n/);
  const statuses = {};
  let requests = 0;
  let firstStatus = null;
  if (existsSync(traffic)) {
    for (const m of readFileSync(traffic, "utf8").matchAll(/^HTTP response \[#(\d+)\] \((\d{3})/gm)) {
      requests++;
      statuses[m[2]] = (statuses[m[2]] ?? 0) + 1;
      if (m[1] === "1") firstStatus = Number(m[2]);
    }
  }
  const tested = new Set();
  for (const line of lines) {
    const m =
      /(?:testing if |heuristic \(basic\) test shows that )(.*?) (?:is dynamic|might not be injectable|might be injectable|does not appear to be dynamic)/.exec(
        line,
      ) ?? /(.*parameter '[^']+') does not seem to be injectable/.exec(line);
    if (m) tested.add(PARAM.exec(m[1])?.[1]?.trim() ?? m[1].replace(/^.*\] /, "").trim());
  }
  const findings = lines.filter((l) => /identified the following injection point|parameter '[^']+' is vulnerable|Parameter: .* \(.*\)$/.test(l));
  const notes = lines.filter((l) => /appears to be .*injectable|might be injectable|false positive|is not stable|protected by some kind of WAF/i.test(l));
  // sqlmap skips a cookie whose name says "token" as an anti-CSRF token (here: next-auth's session).
  const skipped = [...new Set(lines.flatMap((l) => /ignoring (.*parameter '[^']+')/.exec(l)?.[1] ?? []))];
  const critical = lines.filter((l) => /\[CRITICAL\]/.test(l) && !/do not appear to be injectable/.test(l));
  const clean = lines.some((l) => /all tested parameters do not appear to be injectable/.test(l));
  const expected = target.expect ?? [200];
  const baselineOk = firstStatus !== null && expected.includes(firstStatus);
  return {
    name: target.name,
    url: target.url,
    args,
    code,
    ms,
    requests,
    statuses,
    firstStatus,
    baselineOk,
    tested: [...tested],
    skipped,
    findings,
    notes,
    critical,
    clean,
  };
}

// Wapiti (second opinion, when SCAN_WAPITI is not 0): its error- and time-based SQL, command, file, XSS, CRLF
// and redirect modules on the GET routes, as the admin (who may call all of them). It finds no JSON bodies.
const WAPITI = "/usr/bin/wapiti";
const WAPITI_MODULES = "sql,blindsql,exec,file,xss,permanentxss,crlf,redirect";

function ensureWapiti() {
  if (existsSync(WAPITI)) return true;
  if (process.getuid?.() !== 0) return false;
  say("installing Debian's wapiti with apt-get...");
  const opts = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  return spawnSync("apt-get", ["install", "-y", "-qq", "wapiti"], opts).status === 0 && existsSync(WAPITI);
}

function runWapiti(urls, cookie, outDir) {
  const dir = join(outDir, "wapiti");
  mkdirSync(dir, { recursive: true });
  const report = join(dir, "report.json");
  const args = [
    "-u",
    `${portal}/api/`,
    "--scope",
    "folder",
    ...urls.flatMap((u) => ["-s", u]),
    "-H",
    `Cookie: ${cookie}`,
    "-H",
    `Origin: ${portal}`,
    "-m",
    WAPITI_MODULES,
    "--flush-session",
    "--store-session",
    join(dir, "session"),
    "--max-scan-time",
    "20",
    "-f",
    "json",
    "-o",
    report,
    "-v",
    "1",
  ];
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(WAPITI, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TERM: "dumb" } });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("exit", (code) => {
      writeFileSync(join(dir, "stdout.txt"), out);
      const parsed = existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : null;
      const list = (group) =>
        Object.entries(parsed?.[group] ?? {}).flatMap(([kind, items]) =>
          items.map((v) => `${kind}: ${v.method} ${v.path} ${v.parameter ?? ""} ${v.info ?? ""}`.trim()),
        );
      const modules = [...new Set([...out.matchAll(/^\[\*\] Launching module (\w+)/gm)].map((m) => m[1]))];
      // What the crawl itself answered (its session keeps each route's status): the attacks start from 200s.
      const statuses = {};
      for (const file of existsSync(join(dir, "session")) ? readdirSync(join(dir, "session")).filter((f) => f.endsWith(".db")) : []) {
        const db = new Database(join(dir, "session", file), { readonly: true });
        for (const row of db.prepare("select http_status as status, count(*) as n from paths where evil = 0 group by http_status").all())
          statuses[row.status] = row.n;
        db.close();
      }
      resolvePromise({
        args,
        code,
        ms: Date.now() - started,
        report: parsed ? report : null,
        vulnerabilities: list("vulnerabilities"),
        anomalies: list("anomalies"),
        modules,
        statuses,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  ensureSqlmap();
  const version = spawnSync(SQLMAP, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]?.trim() ?? "?";
  const outDir = process.env.SCAN_OUT ? resolve(process.env.SCAN_OUT) : mkdtempSync(join(tmpdir(), "portal-scan-"));
  mkdirSync(outDir, { recursive: true });
  const date = new Date().toISOString();
  const started = Date.now();

  say(`starting the portal on ${portal} (sandbox on ${SANDBOX_PORT}, fresh store, upstream limits off)`);
  startPortal();
  const results = [];
  try {
    await waitFor(`${portal}/api/health`, 600_000);
    const agent = await signIn("agent@demo.local");
    const admin = await signIn("admin@demo.local");
    const auditor = await signIn("auditor@demo.local");

    // Real values for the baselines: a customer, an export of the admin's, the list's own filters, and a
    // window of the audit log holding only these few events (so its answers stay small and stable).
    const from = new Date(Date.now() - 1000).toISOString();
    for (const skip of [10, 20]) await api(agent, `/api/customers?take=10&skip=${skip}&status=ACTIVE&name=a`);
    const list = await api(agent, "/api/customers?take=10&skip=0&status=ACTIVE&name=a");
    const id = list[0]?.id;
    if (!id) throw new Error("the portal listed no customer to scan with");
    // The list masks emails; the customer's own page does not: filter on its domain.
    const email = `@${String((await api(agent, `/api/customers/${id}`)).email ?? "x@com").split("@")[1]}`;
    const exportJob = await api(admin, "/api/exports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "zz-no-such-name", reason: "Compliance review", ticket: "SCAN-1" }),
    });
    for (let i = 0; i < 100 && (await api(admin, `/api/exports/${exportJob.id}`)).status === "running"; i++) await new Promise((r) => setTimeout(r, 100));
    await fetch(`${portal}/api/exports/${exportJob.id}/file`, { headers: { cookie: admin } }).then((r) => r.arrayBuffer());
    const { csrfToken, jar } = await csrf();
    const to = new Date(Date.now() + 1).toISOString();
    const auditFilter = `actor=agent%40demo.local&action=customers.list&customer=${id}&outcome=ok&from=${from}&to=${to}&limit=20`;
    const { events, nextCursor } = await api(auditor, `/api/audit?${auditFilter}`);
    const { nextCursor: cursor } = await api(auditor, `/api/audit?action=customers.list&from=${from}&to=${to}&limit=1`);
    if (!events?.length || !cursor) throw new Error("the audit log answered no events to scan with");
    say(`baselines: customer ${id}, email filter ${email}, export ${exportJob.id}, ${events.length} audit events in the window (next ${nextCursor ?? "none"})`);

    const json = ["--headers", `Origin: ${portal}\nContent-Type: application/json`];
    const allTargets = [
      // Level 3 tests the cookie, User-Agent and Referer too: once here, for the whole API.
      { name: "customers-list", cookie: agent, url: `${portal}/api/customers?take=10&skip=0&status=ACTIVE&name=a&email=${encodeURIComponent(email)}` },
      { name: "customer-view", cookie: agent, url: `${portal}/api/customers/${id}*`, args: ["-p", "URI"] },
      {
        name: "customer-reveal",
        cookie: agent,
        url: `${portal}/api/customers/${id}*/contact`,
        args: ["--method", "POST", "-p", "URI", "--data", JSON.stringify({ reason: "Customer support request", ticket: "SCAN-1" }), ...json],
      },
      { name: "audit-search", cookie: auditor, url: `${portal}/api/audit?${auditFilter}`, args: ["-p", "actor,action,customer,outcome,from,to,limit"] },
      {
        name: "audit-cursor",
        cookie: auditor,
        url: `${portal}/api/audit?action=customers.list&from=${from}&to=${to}&limit=1&cursor=${cursor}`,
        args: ["-p", "cursor"],
      },
      {
        name: "audit-export",
        cookie: admin,
        url: `${portal}/api/audit/export?format=csv&${auditFilter}`,
        args: ["-p", "format,actor,action,customer,outcome,from,to"],
      },
      {
        name: "export-create",
        cookie: admin,
        url: `${portal}/api/exports`,
        args: [
          "--data",
          JSON.stringify({ status: "ACTIVE", name: "zz-no-such-name", email: "zz-no-such-mail", bom: false, reason: "Compliance review", ticket: "SCAN-1" }),
          ...json,
        ],
        expect: [202],
      },
      { name: "export-progress", cookie: admin, url: `${portal}/api/exports/${exportJob.id}*`, args: ["-p", "URI"] },
      // The file is deleted once downloaded (by design): the route answers 404 from then on, its stable baseline.
      {
        name: "export-file",
        cookie: admin,
        url: `${portal}/api/exports/${exportJob.id}*/file`,
        args: ["-p", "URI", "--ignore-code", "404", "--skip-waf"],
        expect: [404],
      },
      { name: "export-cancel", cookie: admin, url: `${portal}/api/exports/${exportJob.id}*`, args: ["--method", "DELETE", "-p", "URI"], expect: [200, 404] },
      {
        // The sign-in form: email and password reach the staff and login_attempts tables. A fresh
        // X-Forwarded-For per request (sqlmap's own tamper) keeps the per-address throttle from answering instead.
        name: "sign-in",
        cookie: cookieHeader(jar),
        url: `${portal}/api/auth/callback/credentials`,
        args: [
          "--data",
          new URLSearchParams({ csrfToken, email: "nobody@example.com", password: "not-the-password", json: "true" }).toString(),
          "-p",
          "email,password",
          "--tamper",
          "xforwardedfor",
          "--ignore-code",
          "401",
        ],
        expect: [401],
      },
    ];
    const targets = allTargets.filter((t) => !ONLY || ONLY.includes(t.name));

    for (const target of targets) {
      say(`sqlmap ${target.name}: ${target.url}`);
      const result = analyse(await runSqlmap(target, outDir));
      results.push(result);
      say(
        `  ${result.requests} requests (${Object.entries(result.statuses)
          .map(([s, n]) => `${n}×${s}`)
          .join(", ")}), baseline ${result.firstStatus}, ` +
          `${result.findings.length} findings, ${(result.ms / 1000).toFixed(0)} s; tested: ${result.tested.join("; ") || "?"}`,
      );
    }

    let wapiti = null;
    if (process.env.SCAN_WAPITI !== "0" && (!ONLY || ONLY.includes("wapiti"))) {
      if (ensureWapiti()) {
        const wapitiVersion = spawnSync(WAPITI, ["--version"], { encoding: "utf8" }).stdout.trim().split("\n").at(-1) ?? "?";
        const urls = allTargets.filter((t) => !t.args?.includes("--data") && !t.args?.includes("--method") && !t.url.includes("*")).map((t) => t.url);
        say(`wapiti (${wapitiVersion}, modules ${WAPITI_MODULES}) on ${urls.length} GET routes`);
        wapiti = { version: wapitiVersion, urls, ...(await runWapiti(urls, admin, outDir)) };
        say(`  ${wapiti.vulnerabilities.length} vulnerabilities, ${wapiti.anomalies.length} anomalies, ${(wapiti.ms / 1000).toFixed(0)} s`);
      } else {
        say("wapiti is not installed and cannot be (not root): skipped");
      }
    }

    const seconds = Math.round((Date.now() - started) / 1000);
    const findings = [
      ...results.flatMap((r) => r.findings.map((f) => `${r.name}: ${f}`)),
      ...(wapiti?.vulnerabilities ?? []).map((v) => `wapiti: ${v}`),
      ...(wapiti?.anomalies ?? []).map((v) => `wapiti anomaly: ${v}`),
    ];
    const badBaselines = results.filter((r) => !r.baselineOk).map((r) => `${r.name} (first answer ${r.firstStatus})`);
    const summary = [
      `Scan of the portal API, ${date}`,
      `tool: sqlmap ${version} (Debian), --batch --level ${LEVEL} --risk ${RISK}, one run per route, signed in (agent / admin / auditor session cookie)`,
      `portal: ${portal}, fresh SQLite store, built-in sandbox, DEVDRAFT_RATE_LIMIT_PER_MIN=100000, SANDBOX_RATE_LIMIT=0, cache off`,
      ...results.map(
        (r) =>
          `  ${r.name.padEnd(16)} ${String(r.requests).padStart(6)} requests  ${Object.entries(r.statuses)
            .map(([s, n]) => `${n}×${s}`)
            .join(" ")}  ` +
          `params: ${r.tested.join(", ") || "?"}${r.skipped.length ? ` (sqlmap skipped ${r.skipped.join(", ")})` : ""}  ` +
          `${r.findings.length ? "FINDINGS" : r.clean ? "not injectable" : "no finding"}`,
      ),
      ...(wapiti
        ? [
            `wapiti ${wapiti.version}, modules ${WAPITI_MODULES}, ${wapiti.urls.length} GET routes as admin: ` +
              `crawl answered ${Object.entries(wapiti.statuses)
                .map(([st, n]) => `${n}×${st}`)
                .join(" ")}, modules run: ${wapiti.modules.join(",")}; ` +
              `${wapiti.vulnerabilities.length} vulnerabilities, ${wapiti.anomalies.length} anomalies (500s, timeouts), ${(wapiti.ms / 1000).toFixed(0)} s`,
          ]
        : []),
      `sqlmap requests: ${results.reduce((n, r) => n + r.requests, 0)}; parameters tested: ${results.reduce((n, r) => n + r.tested.length, 0)}; findings: ${findings.length}; duration ${seconds} s`,
      ...(badBaselines.length ? [`routes whose first answer was not the expected one: ${badBaselines.join(", ")}`] : []),
      ...findings.map((f) => `FINDING ${f}`),
      `output: ${outDir}`,
    ].join("\n");
    // The exact commands, with session and CSRF values elided (they die with the portal anyway).
    const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
    const elide = (a) => a.replace(/(session-token|csrf-token|csrfToken)=[^;&\s]+/g, "$1=…");
    const commands = [
      ...results.map((r) => `sqlmap ${r.args.map((a) => quote(elide(a))).join(" ")}`),
      ...(wapiti ? [`wapiti ${wapiti.args.map((a) => quote(elide(a))).join(" ")}`] : []),
    ].join("\n");
    writeFileSync(join(outDir, "commands.txt"), `${commands}\n`);
    writeFileSync(join(outDir, "summary.txt"), `${summary}\n`);
    writeFileSync(join(outDir, "summary.json"), JSON.stringify({ date, version, level: LEVEL, risk: RISK, seconds, results, wapiti }, null, 2));
    process.stdout.write(`\n${summary}\n`);
    process.exitCode = findings.length > 0 || badBaselines.length > 0 || (results.length === 0 && !wapiti) ? 1 : 0;
  } finally {
    await stopPortal();
  }
}

main().catch(async (err) => {
  process.stderr.write(`scan: ${err instanceof Error ? err.message : String(err)}\n`);
  await stopPortal();
  process.exit(2);
});
