// The reliability soak of issue 7, as a module: `scripts/soak.ts` runs it by name, `e2e/soak.spec.ts` runs a short
// version of it in `npm test`. It starts its own sandbox and portal on a fresh SQLite store, signs in staff
// (demo accounts and one made with the staff CLI), sends traffic at a steady rate through a schedule of faults,
// sandbox restarts and portal SIGKILLs, then judges the run (see checks.ts).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { judge, recoveryAnswers, waited, type AuditRow, type DownWindow, type Findings, type RequestRecord } from "./checks";
import {
  killAllOnExit,
  portalProcess,
  portOpen,
  ROOT,
  sandboxProcess,
  waitForOk,
  waitForPortFree,
  waitForPortOpen,
  waitForPrompt,
  type Managed,
} from "./processes";
import { startCpuSampler } from "./cpu";
import { summarize } from "./report";
import { CLEAR, fullSchedule, layout, phaseAt, shortSchedule, type FaultPatch, type ProcessEvent, type TimedPhase } from "./schedule";
import { signIn } from "../../test/support/sign-in";
import { createRandom } from "../../sandbox/prng";
import { chooser, drive, groundTruth, listQueries, send, type StaffMember } from "./traffic";

export type SoakOptions = {
  minutes: number;
  /** Requests per second offered, in total, whatever the answers take. */
  rate: number;
  schedule: "full" | "short";
  portalPort: number;
  sandboxPort: number;
  /** DEVDRAFT_TIMEOUT_MS and DEVDRAFT_ATTEMPT_TIMEOUT_MS of the portal. */
  deadlineMs: number;
  attemptTimeoutMs: number;
  /** How far past the deadline an answer may still arrive: the portal's own work on a busy machine. */
  marginMs: number;
  cacheTtlMs: number;
  seed: number;
  log: (line: string) => void;
  /** The portal's store: a fresh SQLite file, or a fresh database in a throwaway PostgreSQL on `pgPort`. */
  store: "sqlite" | "postgres";
  pgPort: number;
  /** The CLI: SIGINT/SIGTERM kill the soak's processes and exit. A test runner keeps its own signal handling. */
  handleSignals: boolean;
};

export const DEFAULTS: SoakOptions = {
  minutes: 10,
  rate: 10,
  schedule: "full",
  portalPort: 3600,
  sandboxPort: 4600,
  deadlineMs: 3_000,
  attemptTimeoutMs: 1_500,
  marginMs: 1_000,
  cacheTtlMs: 2_000,
  seed: 7,
  log: (line) => process.stdout.write(`[soak] ${line}\n`),
  handleSignals: false,
  store: "sqlite",
  pgPort: 4690,
};

export type SoakReport = { ok: boolean; failures: string[]; summary: string; dir: string; findings: Findings; records: RequestRecord[] };

const CLI_STAFF = { email: "soak-agent@soak.test", name: "Sam Soak", password: "soak-agent-password-1", role: "agent" as const };

/** A child to completion, output captured. */
function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.end(input ?? "");
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (err) => done({ code: null, output: `${output}${err.message}` }));
    child.on("exit", (code) => done({ code, output }));
  });
}

/** Where the store is: the data dir always (session secret, logs), a PostgreSQL database when `url` is set. */
type Store = { dataDir: string; url: string | null };

const storeEnv = (store: Store): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_DATA_DIR: store.dataDir };
  delete env.DATABASE_URL;
  if (store.url) env.DATABASE_URL = store.url;
  return env;
};

async function auditVerify(store: Store): Promise<{ ok: boolean; output: string }> {
  // At the lowest priority: an operator's check beside a busy portal, not a competitor for its two cores.
  const { code, output } = await runToEnd("nice", ["-n", "19", "npm", "run", "--silent", "audit:verify"], storeEnv(store));
  return { ok: code === 0, output: output.trim() || `exit ${code}` };
}

type RawAuditRow = Omit<AuditRow, "targets"> & { targets: string };
const AUDIT_SQL = "select request_id, action, outcome, actor_email, targets from audit_events";

async function readAudit(store: Store): Promise<AuditRow[]> {
  let rows: RawAuditRow[];
  if (store.url) {
    const client = new pg.Client({ connectionString: store.url });
    await client.connect();
    try {
      rows = (await client.query<RawAuditRow>(AUDIT_SQL)).rows;
    } finally {
      await client.end();
    }
  } else {
    const db = new Database(join(store.dataDir, "portal.sqlite"), { readonly: true, fileMustExist: true });
    try {
      rows = db.prepare(AUDIT_SQL).all() as RawAuditRow[];
    } finally {
      db.close();
    }
  }
  return rows.map((r) => ({ ...r, targets: JSON.parse(r.targets) as string[] }));
}

/** `node scripts/postgres.mjs start` on `port`, then a database of this run's own; `stop` only if this run started it. */
async function freshPostgres(port: number, say: (line: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const env = { ...process.env, PGPORT_TEST: String(port) };
  const wasRunning = await portOpen(port);
  const started = await runToEnd(process.execPath, ["scripts/postgres.mjs", "start"], env);
  const clusterUrl = /DATABASE_URL=(\S+)/.exec(started.output)?.[1];
  if (started.code !== 0 || !clusterUrl) throw new Error(`scripts/postgres.mjs start failed: ${started.output.trim()}`);
  const name = `soak_${Date.now()}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`create database ${name}`).finally(() => admin.end());
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  say(`PostgreSQL on port ${port}${wasRunning ? " (already running)" : ""}, database ${name}`);
  return {
    url: url.toString(),
    stop: async () => {
      if (!wasRunning) await runToEnd(process.execPath, ["scripts/postgres.mjs", "stop"], env);
    },
  };
}

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const o: SoakOptions = { ...DEFAULTS, ...partial };
  const say = o.log;
  killAllOnExit(o.handleSignals);
  const dir = mkdtempSync(join(tmpdir(), "portal-soak-"));
  const portalUrl = `http://127.0.0.1:${o.portalPort}`;
  const sandboxUrl = `http://127.0.0.1:${o.sandboxPort}`;
  const durationMs = Math.round(o.minutes * 60_000);
  // A client that gets no answer this long after the deadline reports the request as hung.
  const giveUpMs = o.deadlineMs + o.marginMs + 20_000;
  const timeouts = { deadlineMs: o.deadlineMs, attemptTimeoutMs: o.attemptTimeoutMs };
  const phases = layout(o.schedule === "full" ? fullSchedule(timeouts) : shortSchedule(timeouts), durationMs);
  const startedAt = new Date();
  const timeline: string[] = [];
  let t0 = 0;
  const clock = () => (t0 === 0 ? 0 : performance.now() - t0);
  const note = (line: string) => {
    const stamped = `+${(clock() / 1000).toFixed(1).padStart(6)} s  ${line}`;
    timeline.push(stamped);
    say(stamped);
  };

  for (const port of [o.portalPort, o.sandboxPort])
    await waitForPortFree(port, 2_000).catch(() => {
      throw new Error(`port ${port} is in use: set SOAK_PORTAL_PORT / SOAK_SANDBOX_PORT (or --portal-port / --sandbox-port) to free ones`);
    });

  const postgres = o.store === "postgres" ? await freshPostgres(o.pgPort, say) : null;
  const store: Store = { dataDir: dir, url: postgres?.url ?? null };
  const sandbox = sandboxProcess(o.sandboxPort, dir);
  const portal = portalProcess({
    databaseUrl: store.url,
    port: o.portalPort,
    sandboxPort: o.sandboxPort,
    dataDir: dir,
    deadlineMs: o.deadlineMs,
    attemptTimeoutMs: o.attemptTimeoutMs,
    cacheTtlMs: o.cacheTtlMs,
    // Above the offered rate: Devdraft's own limit is what the rate-limited phase exercises.
    ratePerMin: 6_000,
  });
  const processes: Managed[] = [sandbox, portal];
  try {
    say(`store and logs in ${dir}`);
    sandbox.start();
    await waitForOk(`${sandboxUrl}/__sandbox/health`, 60_000, () => sandbox.alive);
    say("starting the portal (it builds first when the sources are newer than .next: minutes)");
    portal.start();
    await waitForOk(`${portalUrl}/api/health`, 20 * 60_000, () => portal.alive);

    // Every account made with the staff CLI: on PostgreSQL the demo accounts do not exist (demo mode is SQLite only).
    const accounts = [
      { email: "agent@soak.test", name: "Alex Agent", password: "soak-agent-password-0", role: "agent" as const },
      { email: "admin@soak.test", name: "Ada Admin", password: "soak-admin-password-0", role: "admin" as const },
      { email: "auditor@soak.test", name: "Avery Auditor", password: "soak-auditor-password-0", role: "auditor" as const },
      CLI_STAFF,
    ];
    for (const a of accounts) {
      const cli = await runToEnd(
        "npm",
        ["run", "--silent", "staff", "--", "add", "--email", a.email, "--name", a.name, "--role", a.role],
        storeEnv(store),
        `${a.password}\n`,
      );
      if (cli.code !== 0) throw new Error(`staff CLI failed: ${cli.output}`);
      say(`staff CLI: ${cli.output.trim()}`);
    }
    const staff: StaffMember[] = [];
    for (const a of accounts) staff.push({ ...a, cookie: await signIn(portalUrl, a.email, a.password) });
    say(`signed in: ${staff.map((s) => `${s.email} (${s.role})`).join(", ")}`);

    const truth = await groundTruth(sandboxUrl, listQueries());
    const next = chooser(staff, truth, createRandom(o.seed));

    // Faults: the current phase's, re-applied whenever the sandbox comes back (it starts with none).
    let faults: FaultPatch = CLEAR;
    const applyFaults = async () => {
      const res = await fetch(`${sandboxUrl}/__sandbox/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(faults),
        signal: AbortSignal.timeout(5_000),
      }).catch(() => null);
      return res?.ok ?? false;
    };

    const records: RequestRecord[] = [];
    const inFlight = new Set<Promise<void>>();
    const portalDown: DownWindow[] = [];
    const midRunVerify: string[] = [];
    const midRunFailures: string[] = [];
    const background = new Set<Promise<void>>();
    const later = (work: () => Promise<void>) => {
      // A restart that does not come back is a failure of the run, not a note in its timeline.
      const p = work().catch((err: unknown) => {
        const line = `ERROR ${err instanceof Error ? err.message : String(err)}`;
        note(line);
        midRunFailures.push(line);
      });
      background.add(p);
      void p.finally(() => background.delete(p));
    };
    let portalKills = 0;

    const processEvent = async (event: ProcessEvent, phase: TimedPhase) => {
      if (event.kind === "portal-kill") {
        const n = ++portalKills;
        // Into traffic: wait (a few seconds at most) for several requests to be in flight.
        for (let waitedMs = 0; inFlight.size < 5 && waitedMs < 10_000; waitedMs += 20) await new Promise((r) => setTimeout(r, 20));
        const window: DownWindow = { fromMs: clock(), listenMs: Infinity, readyMs: Infinity, warmMs: Infinity };
        portalDown.push(window);
        note(`portal SIGKILL #${n} (pid group ${portal.pid}) with ${inFlight.size} requests in flight`);
        await portal.stop("SIGKILL");
        await waitForPortFree(o.portalPort, 10_000);
        portal.start();
        await waitForPortOpen(o.portalPort, 120_000, () => portal.alive);
        window.listenMs = clock();
        note(`portal listening again ${((window.listenMs - window.fromMs) / 1000).toFixed(1)} s after the SIGKILL`);
        await waitForOk(`${portalUrl}/api/health`, 120_000, () => portal.alive);
        window.readyMs = clock();
        note(`portal health answers again, ${((window.readyMs - window.listenMs) / 1000).toFixed(1)} s after it listened`);
        await waitForPrompt(`${portalUrl}/api/health`, 120_000);
        window.warmMs = clock();
        note(`portal warm (health within 250 ms three times running) ${((window.warmMs - window.readyMs) / 1000).toFixed(1)} s later`);
      } else if (event.kind === "verify") {
        const v = await auditVerify(store);
        midRunVerify.push(v.output);
        note(`audit:verify while the portal runs: ${v.ok ? "OK" : "BROKEN"}`);
        if (!v.ok) midRunFailures.push(`audit:verify while running failed: ${v.output}`);
      } else {
        note(`sandbox ${event.signal} (pid ${sandbox.pid})`);
        await sandbox.stop(event.signal, 3_000);
        await new Promise((r) => setTimeout(r, event.downShare * (phase.endMs - phase.startMs)));
        await waitForPortFree(o.sandboxPort, 10_000);
        sandbox.start();
        await waitForOk(`${sandboxUrl}/__sandbox/health`, 60_000, () => sandbox.alive);
        const applied = await applyFaults();
        note(`sandbox up again${applied ? "" : " (faults NOT re-applied)"}`);
      }
    };

    say(`traffic: ${o.rate} req/s for ${o.minutes} min, ${phases.length} phases`);
    t0 = performance.now();
    const cpu = startCpuSampler({ clock, portalGroup: () => portal.pid, ourGroups: () => [portal.pid, sandbox.pid] });
    const timers: ReturnType<typeof setTimeout>[] = [];
    for (const phase of phases) {
      timers.push(
        setTimeout(() => {
          faults = { ...CLEAR, ...phase.faults };
          later(async () => {
            const applied = await applyFaults();
            const shown =
              Object.entries(phase.faults)
                .map(([k, v]) => `${k}=${v}`)
                .join(" ") || "no faults";
            note(`phase ${phase.name}: ${shown}${applied ? "" : " (sandbox down: applied when it is back)"}`);
          });
        }, phase.startMs),
      );
      for (const event of phase.events) {
        timers.push(setTimeout(() => later(() => processEvent(event, phase)), phase.startMs + event.at * (phase.endMs - phase.startMs)));
      }
    }

    let seq = 0;
    await drive({
      rate: o.rate,
      durationMs,
      fire: () => {
        const startMs = clock();
        const p = send(portalUrl, next(), { seq: seq++, phase: phaseAt(phases, startMs).name, startMs }, giveUpMs).then((r) => {
          records.push(r);
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      },
    });
    for (const t of timers) clearTimeout(t);
    cpu.stop();
    note(`traffic over; waiting for ${inFlight.size} requests in flight and ${background.size} process events`);
    await Promise.all([...inFlight, ...background]);
    records.sort((a, b) => a.seq - b.seq);

    await portal.stop("SIGTERM", 10_000);
    await sandbox.stop("SIGTERM");
    const audit = await readAudit(store);
    const verify = await auditVerify(store);
    const last = phases[phases.length - 1] as TimedPhase;
    const facts = { records, audit, portalDown, deadlineMs: o.deadlineMs, marginMs: o.marginMs, verify, recoveryPhase: last.name, recoveryMinOkShare: 0.9 };
    const findings = judge(facts);
    const rec = recoveryAnswers(facts);
    const recovery =
      rec.answers.length === 0
        ? `Recovery: not judged, the last Retry-After passed on (until +${(rec.fromMs / 1000).toFixed(1)} s) outlasts the run`
        : `Recovery (${last.name} from +${(rec.fromMs / 1000).toFixed(1)} s, once the last Retry-After passed on ran out): ${rec.answers.filter((r) => r.status !== null && r.status < 300).length} of ${rec.answers.length} customer answers 2xx`;
    writeFileSync(join(dir, "records.json"), JSON.stringify({ phases, portalDown, cpu: cpu.samples, records }, null, 1));
    findings.failures.unshift(...midRunFailures);
    if (portalKills < phases.flatMap((p) => p.events).filter((e) => e.kind === "portal-kill").length)
      findings.failures.push("not every scheduled portal SIGKILL happened");
    const settings = `${o.minutes} min, ${o.rate} req/s, schedule ${o.schedule}, DEVDRAFT_TIMEOUT_MS ${o.deadlineMs}, DEVDRAFT_ATTEMPT_TIMEOUT_MS ${o.attemptTimeoutMs}, margin ${o.marginMs} ms, cache ${o.cacheTtlMs} ms, ${store.url ? "PostgreSQL" : "SQLite"}`;
    // Where answers came late, what the rest of the machine was doing then (2 shared cores here).
    const limit = o.deadlineMs + o.marginMs;
    const late = records.filter((r) => r.clientTimeout || waited(r, portalDown) > limit);
    const othersAt = (ms: number) => {
      const sample = cpu.samples.find((c) => c.atMs >= ms) ?? cpu.samples[cpu.samples.length - 1];
      return sample ? Math.max(0, sample.machine - sample.ours) : 0;
    };
    const crowded = late.filter((r) => othersAt(r.startMs + r.latencyMs) >= 1).length;
    const notes =
      late.length === 0
        ? []
        : [`Late answers: ${late.length}, of which ${crowded} ended while other tenants kept at least 1 of the ${availableParallelism()} cores busy`];
    const summary = summarize({
      notes,
      cpu: cpu.samples,
      giveUpS: giveUpMs / 1000,
      cores: availableParallelism(),
      startedAt,
      phases,
      records,
      findings,
      recovery,
      verifyOutput: verify.output,
      midRunVerify,
      timeline,
      settings,
      dir,
    });
    return { ok: findings.failures.length === 0, failures: findings.failures, summary, dir, findings, records };
  } finally {
    for (const p of processes) await p.stop("SIGKILL");
    await postgres?.stop();
  }
}
