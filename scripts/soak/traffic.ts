// Staff traffic: a fixed pool of questions with Devdraft's own answers to them, and an open-loop driver that
// sends at a steady rate however slowly the portal answers.
import { checkAnswer, type Expectation, type Kind, type RequestRecord, type Truth } from "./checks";

export type StaffMember = { email: string; name: string; password: string; role: "agent" | "admin" | "auditor"; cookie: string };

/** List questions the soak asks: filters, paging, page sizes; each in the portal's own canonical order. */
export function listQueries(): string[] {
  const out = new Set<string>();
  const add = (q: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const key of ["take", "skip", "status", "name", "email"]) if (q[key] !== undefined) p.set(key, String(q[key]));
    out.add(p.toString());
  };
  for (const take of [10, 25, 50]) for (const skip of [0, 10, 100]) add({ take, skip });
  for (const status of ["ACTIVE", "DEACTIVATED", "BLACKLISTED"]) add({ take: 25, skip: 0, status });
  for (const name of ["ma", "er", "son", "an", "li"]) add({ take: 10, skip: 0, name });
  add({ take: 10, skip: 10, name: "an" });
  for (const email of ["gmail", "yahoo", "example"]) add({ take: 10, skip: 0, email });
  add({ take: 25, skip: 0, status: "ACTIVE", name: "ma" });
  add({ take: 100, skip: 0, status: "DEACTIVATED" });
  add({ take: 10, skip: 0, name: "zzqx" }); // nobody: a true empty result, which is not an outage
  return [...out];
}

const SANDBOX_HEADERS = { "x-client-key": "sandbox-client-key", "x-client-secret": "sandbox-client-secret" };

type SandboxCustomer = { id: string; email: string | null; phone_number: string | null };

/** Devdraft's answers to every question of the pool, asked of the sandbox directly before any fault. */
export async function groundTruth(sandbox: string, queries: string[]) {
  const lists = new Map<string, string[]>();
  const truth = new Map<string, Truth>();
  const ask = async (qs: string) => {
    const res = await fetch(`${sandbox}/api/v0/customers?${qs}`, { headers: SANDBOX_HEADERS });
    if (!res.ok) throw new Error(`the sandbox answered ${res.status} to ${qs}`);
    const rows = (await res.json()) as SandboxCustomer[];
    for (const c of rows) truth.set(c.id, { id: c.id, email: c.email, phone_number: c.phone_number });
    return rows.map((c) => c.id);
  };
  for (const qs of queries) lists.set(qs, await ask(qs));
  const detailIds = await ask("take=100&skip=200");
  return { lists, truth, detailIds };
}

const SOAK_REASON = { reason: "Customer support request", ticket: "SOAK-1" };
const SOAK_REASON_QUERY = new URLSearchParams(SOAK_REASON).toString();

type Ask = { kind: Kind; staff: StaffMember | null; method: "GET" | "POST"; path: string; expect: Expectation };

/** The mix: mostly lists, then detail views, reveals, session checks and the probes that must be refused. */
export function chooser(staff: StaffMember[], truthData: Awaited<ReturnType<typeof groundTruth>>, random: () => number) {
  const readers = staff.filter((s) => s.role !== "auditor");
  const auditor = staff.find((s) => s.role === "auditor") ?? null;
  const queries = [...truthData.lists.keys()];
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
  return (): Ask => {
    const roll = random();
    const who = pick(readers);
    if (roll < 0.47) {
      const qs = pick(queries);
      return {
        kind: "list",
        staff: who,
        method: "GET",
        path: `/api/customers?${qs}`,
        expect: { kind: "list", ids: truthData.lists.get(qs) ?? [], truth: truthData.truth },
      };
    }
    if (roll < 0.55) {
      const qs = pick(queries);
      const others = staff.filter((s) => s !== who).map((s) => s.name);
      const expect: Expectation = { kind: "page", ids: truthData.lists.get(qs) ?? [], truth: truthData.truth, staffName: who.name, otherStaffNames: others };
      return { kind: "page", staff: who, method: "GET", path: `/customers?${qs}`, expect };
    }
    if (roll < 0.85) {
      const id = pick(truthData.detailIds);
      const truth = truthData.truth.get(id) as Truth;
      const kind = roll < 0.75 ? "detail" : "reveal";
      // A reason for access, as staff give one: needed by every Reveal and by a customer whose status is sensitive.
      const path = kind === "detail" ? `/api/customers/${id}?${SOAK_REASON_QUERY}` : `/api/customers/${id}/contact`;
      return { kind, staff: who, method: kind === "detail" ? "GET" : "POST", path, expect: { kind, truth } };
    }
    if (roll < 0.91) return { kind: "session", staff: who, method: "GET", path: "/api/auth/session", expect: { kind: "session", email: who.email } };
    if (roll < 0.95 && auditor)
      return { kind: "auditor-probe", staff: auditor, method: "GET", path: `/api/customers?${pick(queries)}`, expect: { kind: "auditor-probe" } };
    if (roll < 0.97)
      return { kind: "anonymous-probe", staff: null, method: "GET", path: `/api/customers?${pick(queries)}`, expect: { kind: "anonymous-probe" } };
    return { kind: "invalid", staff: who, method: "GET", path: "/api/customers?take=500", expect: { kind: "invalid" } };
  };
}

/** One request, timed from send to the last byte, checked against Devdraft's own data. */
export async function send(portal: string, ask: Ask, base: { seq: number; phase: string; startMs: number }, giveUpMs: number): Promise<RequestRecord> {
  const started = performance.now();
  const record: RequestRecord = {
    ...base,
    sentAt: Date.now(),
    staff: ask.staff?.email ?? null,
    kind: ask.kind,
    method: ask.method,
    path: ask.path,
    latencyMs: 0,
    status: null,
    error: null,
    clientTimeout: false,
    requestId: null,
    retryAfterS: null,
    carried: false,
    customerIds: [],
    problems: [],
  };
  const giveUp = AbortSignal.timeout(giveUpMs);
  try {
    const headers: Record<string, string> = { accept: ask.kind === "page" ? "text/html" : "application/json" };
    if (ask.staff) headers.cookie = ask.staff.cookie;
    const reveal = ask.kind === "reveal";
    if (reveal) headers["content-type"] = "application/json";
    const init = { method: ask.method, headers, signal: giveUp, redirect: "manual" as const, ...(reveal ? { body: JSON.stringify(SOAK_REASON) } : {}) };
    const res = await fetch(`${portal}${ask.path}`, init);
    const text = await res.text();
    record.latencyMs = performance.now() - started;
    record.status = res.status;
    record.requestId = res.headers.get("x-request-id");
    const retryAfter = res.headers.get("retry-after");
    record.retryAfterS = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const verdict = checkAnswer(ask.expect, res.status, record.requestId, body, text);
    record.carried = verdict.carried;
    record.customerIds = verdict.customerIds;
    record.problems = verdict.problems;
  } catch (error) {
    record.latencyMs = performance.now() - started;
    record.clientTimeout = giveUp.aborted;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
    const code = cause && "code" in cause ? String(cause.code) : "";
    record.error = [error instanceof Error ? error.message : String(error), code || cause?.message].filter(Boolean).join(": ");
  }
  return record;
}

/**
 * Open loop: sends are due at `rate` per second from `t0` whatever happened to earlier ones, so a slow
 * or dead portal meets the same offered load as a healthy one.
 */
export function drive(options: { rate: number; durationMs: number; fire: (atMs: number) => void }): Promise<void> {
  const intervalMs = 1000 / options.rate;
  const t0 = performance.now();
  let sent = 0;
  return new Promise((done) => {
    const timer = setInterval(() => {
      const now = performance.now() - t0;
      while (sent * intervalMs <= Math.min(now, options.durationMs)) {
        options.fire(sent * intervalMs);
        sent++;
      }
      if (now >= options.durationMs) {
        clearInterval(timer);
        done();
      }
    }, 10);
  });
}
