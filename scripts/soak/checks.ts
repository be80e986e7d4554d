// The soak's verdicts: what each answer must be (checked as it arrives) and what the run as a whole must show
// afterwards (audit events, the chain, deadlines, the kinds of failure). Pure: unit-tested in checks.test.ts.
import { maskEmail, maskPhone } from "../../lib/customers/mask";

export type Kind = "list" | "page" | "detail" | "reveal" | "session" | "auditor-probe" | "anonymous-probe" | "invalid";

/** A customer as Devdraft itself holds it: what the portal's answers are compared with. */
export type Truth = { id: string; email: string | null; phone_number: string | null };

export type RequestRecord = {
  seq: number;
  phase: string;
  staff: string | null;
  kind: Kind;
  method: "GET" | "POST";
  path: string;
  /** ms from the start of traffic. */
  startMs: number;
  /** Wall clock of the send (epoch ms), to find the request in the portal's log. */
  sentAt: number;
  latencyMs: number;
  /** null: no answer (connection refused or reset, or the client gave up). */
  status: number | null;
  error: string | null;
  /** The client gave up waiting: a hung request. */
  clientTimeout: boolean;
  requestId: string | null;
  /** The answer's Retry-After, in seconds. */
  retryAfterS: number | null;
  /** The answer carried customer data. */
  carried: boolean;
  customerIds: string[];
  problems: string[];
};

export type AuditRow = { request_id: string; action: string; outcome: string; actor_email: string | null; targets: string[] };

export type Expectation =
  | { kind: "list"; ids: string[]; truth: Map<string, Truth> }
  /** The customers page's server-rendered HTML for a query, as `staffName` sees it. */
  | { kind: "page"; ids: string[]; truth: Map<string, Truth>; staffName: string; otherStaffNames: string[] }
  | { kind: "detail" | "reveal"; truth: Truth }
  | { kind: "session"; email: string }
  | { kind: "auditor-probe" | "anonymous-probe" | "invalid" };

/** Statuses a customer answer may fail with when Devdraft or the store is in trouble. */
export const UPSTREAM_FAILURES = new Set([429, 502, 503, 504]);
const PROBE_STATUS: Partial<Record<Kind, number>> = { "auditor-probe": 403, "anonymous-probe": 401, invalid: 400 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The portal's error shape: `{statusCode, message, error}` with a message a person can read, and nothing else. */
function errorShapeProblems(status: number, body: unknown): string[] {
  if (!isRecord(body)) return [`${status} answer is not a JSON error object`];
  const problems: string[] = [];
  if (body.statusCode !== status) problems.push(`${status} answer names statusCode ${String(body.statusCode)}`);
  const message = body.message;
  const readable = (typeof message === "string" && message.trim() !== "") || (Array.isArray(message) && message.length > 0);
  if (!readable) problems.push(`${status} answer has no message`);
  const extra = Object.keys(body).filter((k) => !["statusCode", "message", "error"].includes(k));
  if (extra.length > 0) problems.push(`${status} answer carries more than an error: ${extra.join(", ")}`);
  return problems;
}

function sameContact(label: string, got: Record<string, unknown>, truth: Truth, masked: boolean): string[] {
  const email = masked ? maskEmail(truth.email) : truth.email;
  const phone = masked ? maskPhone(truth.phone_number) : truth.phone_number;
  const problems: string[] = [];
  if (got.email !== email)
    problems.push(`${label} ${truth.id}: email ${JSON.stringify(got.email)} is not ${masked ? "the masked " : ""}${JSON.stringify(email)}`);
  if (got.phone_number !== phone)
    problems.push(`${label} ${truth.id}: phone ${JSON.stringify(got.phone_number)} is not ${masked ? "the masked " : ""}${JSON.stringify(phone)}`);
  return problems;
}

export type AnswerVerdict = { carried: boolean; customerIds: string[]; problems: string[] };

/**
 * One answer, as it arrives. A 2xx must be exactly Devdraft's data for the question asked (so an outage shown as no
 * rows, another query's rows or another staff member's revealed contact all fail), list rows always masked; a
 * failure must be one of the upstream kinds with a readable error body and no customer data.
 */
export function checkAnswer(expect: Expectation, status: number, requestId: string | null, body: unknown, text = ""): AnswerVerdict {
  if (expect.kind === "page") return checkPage(expect, status, requestId, text);
  const problems: string[] = [];
  const customerRoute = expect.kind === "list" || expect.kind === "detail" || expect.kind === "reveal";
  if (!requestId && expect.kind !== "session") problems.push("answer has no x-request-id");
  if (status === 500) problems.push("500: the portal failed on its own side");

  if (expect.kind === "auditor-probe" || expect.kind === "anonymous-probe" || expect.kind === "invalid") {
    const probe = PROBE_STATUS[expect.kind];
    if (status !== probe) problems.push(`${expect.kind} answered ${status}, not ${probe}`);
    else problems.push(...errorShapeProblems(status, body));
    return { carried: false, customerIds: [], problems };
  }

  if (status < 200 || status >= 300) {
    if (customerRoute && status !== 500 && !UPSTREAM_FAILURES.has(status)) problems.push(`${expect.kind} answered ${status}: not an upstream failure`);
    if (expect.kind === "session") problems.push(`session answered ${status}`);
    else problems.push(...errorShapeProblems(status, body));
    return { carried: false, customerIds: [], problems };
  }

  switch (expect.kind) {
    case "session": {
      const email = isRecord(body) && isRecord(body.user) ? body.user.email : undefined;
      if (email !== expect.email) problems.push(`session of ${expect.email} names ${JSON.stringify(email)}`);
      return { carried: false, customerIds: [], problems };
    }
    case "list": {
      if (!Array.isArray(body)) return { carried: false, customerIds: [], problems: [...problems, "list answer is not an array"] };
      const rows = body.filter(isRecord);
      const ids = rows.map((r) => String(r.id));
      if (ids.join(",") !== expect.ids.join(",")) {
        problems.push(
          `list answer has ${ids.length} rows, not Devdraft's ${expect.ids.length} for this query${ids.length === 0 ? " (an outage shown as no results?)" : ""}`,
        );
      }
      for (const row of rows) {
        if (row.masked !== true) problems.push(`list row ${String(row.id)} is not marked masked`);
        const truth = expect.truth.get(String(row.id));
        if (truth) problems.push(...sameContact("list row", row, truth, true));
      }
      return { carried: rows.length > 0, customerIds: ids, problems };
    }
    case "detail":
    case "reveal": {
      if (!isRecord(body) || typeof body.id !== "string")
        return { carried: false, customerIds: [], problems: [...problems, `${expect.kind} answer is not a customer`] };
      if (body.id !== expect.truth.id) problems.push(`${expect.kind} of ${expect.truth.id} answered customer ${body.id}`);
      problems.push(...sameContact(expect.kind, body, expect.truth, false));
      if (expect.kind === "reveal") {
        const extra = Object.keys(body).filter((k) => !["id", "email", "phone_number"].includes(k));
        if (extra.length > 0) problems.push(`reveal carries more than the contact: ${extra.join(", ")}`);
      }
      return { carried: true, customerIds: [body.id], problems };
    }
  }
}

/** What the page draws instead of rows when the list could not be loaded (list-states.tsx). */
const PAGE_FAILURE_MARKERS = ["not because none match", "Devdraft asked us to slow down"];
const PAGE_EMPTY_MARKERS = ["No customers match these filters", "There are no customers yet"];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * The customers page: a 200 whose HTML holds either exactly Devdraft's rows for the query, masked, or a failure
 * state that says the list could not be loaded; never an empty list for an outage, never another staff member's
 * name in the header.
 */
function checkPage(expect: Extract<Expectation, { kind: "page" }>, status: number, requestId: string | null, html: string): AnswerVerdict {
  const problems: string[] = [];
  if (!requestId) problems.push("page answer has no x-request-id");
  if (status !== 200) return { carried: false, customerIds: [], problems: [...problems, `page answered ${status}`] };
  if (!html.includes(expect.staffName)) problems.push(`page does not name its reader ${expect.staffName}`);
  for (const other of expect.otherStaffNames) if (html.includes(other)) problems.push(`page of ${expect.staffName} names ${other}`);
  // The rows are the customer table's: ids elsewhere on the page (the person's own recently viewed, read from their
  // audit events) are links to what they were already shown, not this answer's customers.
  const tables = (html.match(/<table\b[\s\S]*?<\/table>/g) ?? []).join("\n");
  const shown = [...new Set(tables.match(UUID) ?? [])].filter((id) => expect.truth.has(id));
  const expected = new Set(expect.ids);
  const foreign = shown.filter((id) => !expected.has(id));
  if (foreign.length > 0) problems.push(`page shows ${foreign.length} customers of another query`);
  // What the page draws, not what it carries: the page data in its scripts holds the translated messages its client
  // components may draw (the failure and the empty state's words among them) whichever state is on screen.
  const drawn = html.replace(/<script\b[\s\S]*?<\/script>/g, "");
  const failed = PAGE_FAILURE_MARKERS.some((m) => drawn.includes(m));
  const empty = PAGE_EMPTY_MARKERS.some((m) => drawn.includes(m));
  if (shown.length === 0 && expect.ids.length > 0) {
    if (empty) problems.push("page shows no results where Devdraft has some (an outage shown as no results?)");
    else if (!failed) problems.push("page shows neither rows nor a failure state");
    return { carried: false, customerIds: [], problems };
  }
  if (shown.length < expect.ids.length) problems.push(`page shows ${shown.length} of Devdraft's ${expect.ids.length} rows`);
  for (const id of shown) {
    const t = expect.truth.get(id);
    for (const plain of [t?.email, t?.phone_number]) if (plain && html.includes(plain)) problems.push(`page shows ${id}'s contact unmasked`);
  }
  return { carried: shown.length > 0, customerIds: shown, problems };
}

const ACTION: Partial<Record<Kind, string>> = { list: "customers.list", page: "customers.list", detail: "customer.view", reveal: "customer.reveal" };

/**
 * A portal restart: SIGKILL at `fromMs`, listening again at `listenMs` (connections made before then are refused),
 * its /api/health answering at `readyMs` (connections made while Next starts wait in its backlog), and answering
 * promptly again at `warmMs`, once it has worked off the requests that piled up meanwhile.
 */
export type DownWindow = { fromMs: number; listenMs: number; readyMs: number; warmMs: number };

export type Findings = {
  failures: string[];
  carried: number;
  audited: number;
  /** Audit events of answers that never reached the client (in flight at a SIGKILL): expected, not failures. */
  auditedUnanswered: number;
  expectedConnectionErrors: number;
  /** Answered requests sent while the portal was starting up, and the longest of them from send and from ready. */
  heldThroughStartup: number;
  heldWorstMs: number;
  heldWorstFromReadyMs: number;
};

export type RunFacts = {
  records: RequestRecord[];
  audit: AuditRow[];
  /** The portal's restarts after each SIGKILL. */
  portalDown: DownWindow[];
  deadlineMs: number;
  marginMs: number;
  verify: { ok: boolean; output: string };
  /** The last phase: the portal must serve again once the faults are over. */
  recoveryPhase: string;
  recoveryMinOkShare: number;
};

const SLACK_MS = 500;
const MAX_LISTED = 15;

/** Everything the run must show afterwards; each failure is one line, at most MAX_LISTED of a kind. */
export function judge(facts: RunFacts): Findings {
  const failures: string[] = [];
  const add = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    failures.push(`${title}: ${lines.length}`);
    for (const line of lines.slice(0, MAX_LISTED)) failures.push(`  ${line}`);
    if (lines.length > MAX_LISTED) failures.push(`  … and ${lines.length - MAX_LISTED} more`);
  };
  const who = (r: RequestRecord) => `#${r.seq} ${r.phase} ${r.staff ?? "anonymous"} ${r.method} ${r.path}${r.requestId ? ` [${r.requestId}]` : ""}`;

  const byRequest = new Map<string, AuditRow[]>();
  for (const row of facts.audit) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), row]);

  // 1. Every answer that carried customers is on record, by the staff member who asked, for the ids shown.
  const missingAudit: string[] = [];
  let carried = 0;
  let audited = 0;
  for (const r of facts.records) {
    if (!r.carried) continue;
    carried++;
    const ok = (byRequest.get(r.requestId ?? "") ?? []).filter((a) => a.outcome === "ok");
    if (!r.requestId || ok.length === 0) {
      missingAudit.push(`${who(r)} → ${r.status}: no audit event`);
      continue;
    }
    const event = ok[0] as AuditRow;
    const wrong: string[] = [];
    if (ok.length > 1) wrong.push(`${ok.length} events`);
    if (event.actor_email?.toLowerCase() !== r.staff?.toLowerCase()) wrong.push(`actor ${event.actor_email ?? "none"}`);
    if (event.action !== ACTION[r.kind]) wrong.push(`action ${event.action}`);
    const targets = new Set(event.targets);
    const unlisted = r.customerIds.filter((id) => !targets.has(id));
    if (unlisted.length > 0) wrong.push(`${unlisted.length} ids shown but not in targets`);
    if (wrong.length > 0) missingAudit.push(`${who(r)}: ${wrong.join(", ")}`);
    else audited++;
  }
  add("answers with customers whose audit event is missing or wrong", missingAudit);

  // 2. The chain verifies.
  if (!facts.verify.ok) failures.push(`audit:verify failed: ${facts.verify.output.trim()}`);

  // 3. Each answer is what it should be (data, masking, identity, kind of failure): found as it arrived.
  add(
    "wrong answers",
    facts.records.flatMap((r) => r.problems.map((p) => `${who(r)} → ${r.status}: ${p}`)),
  );

  // 4. Nobody waited past the deadline; no request hung. A request sent while the portal was restarting after a
  // SIGKILL (held in the new server's backlog while Next loads, then worked off in one burst) is timed from the
  // moment the portal answered promptly again: the deadline is about the portal's handling of a slow or dead
  // Devdraft, not about Next's start-up, which the summary reports on its own line.
  const limit = facts.deadlineMs + facts.marginMs;
  add(
    `requests that waited past the deadline (${facts.deadlineMs} ms + ${facts.marginMs} ms margin)`,
    facts.records
      .filter((r) => r.clientTimeout || waited(r, facts.portalDown) > limit)
      .map(
        (r) =>
          `${who(r)} at +${(r.startMs / 1000).toFixed(1)} s: ${r.clientTimeout ? "no answer, client gave up" : `${Math.round(r.latencyMs)} ms`}${r.status ? ` → ${r.status}` : ""}`,
      ),
  );

  // 5. Connection errors only while the portal was down (killed, not yet serving again).
  const downAt = (r: RequestRecord) => facts.portalDown.some((w) => r.startMs <= w.listenMs + SLACK_MS && r.startMs + r.latencyMs >= w.fromMs - SLACK_MS);
  const connectionErrors = facts.records.filter((r) => r.status === null && !r.clientTimeout);
  add(
    "connection errors while the portal was up",
    connectionErrors.filter((r) => !downAt(r)).map((r) => `${who(r)} at +${(r.startMs / 1000).toFixed(1)} s: ${r.error ?? "?"}`),
  );

  // 6. One answer, one request id.
  const seen = new Map<string, number>();
  for (const r of facts.records) if (r.requestId) seen.set(r.requestId, (seen.get(r.requestId) ?? 0) + 1);
  add(
    "request ids on more than one answer",
    [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} × ${n}`),
  );

  // 7. A 429 says when to come back.
  add("429 answers without a Retry-After", facts.records.filter((r) => r.status === 429 && r.retryAfterS === null).map(who));

  // 8. Once the faults are over the portal serves again, as soon as the last delay Devdraft asked for (passed on
  // in the 429s' Retry-After) has run out: honouring it is right, staying stuck after it is not.
  const recovery = recoveryAnswers(facts);
  const okShare = recovery.answers.length === 0 ? 1 : recovery.answers.filter((r) => r.status !== null && r.status < 300).length / recovery.answers.length;
  if (okShare < facts.recoveryMinOkShare) {
    failures.push(
      `after the faults (${facts.recoveryPhase}, from +${(recovery.fromMs / 1000).toFixed(1)} s) only ${(okShare * 100).toFixed(1)}% of ${recovery.answers.length} customer answers were 2xx (at least ${facts.recoveryMinOkShare * 100}% expected)`,
    );
  }

  const answered = new Set(facts.records.map((r) => r.requestId).filter(Boolean));
  const auditedUnanswered = facts.audit.filter((a) => a.outcome === "ok" && a.action in INVERSE && !answered.has(a.request_id)).length;
  const held = facts.records.filter((r) => r.status !== null && startingUp(r, facts.portalDown));
  return {
    failures,
    carried,
    audited,
    auditedUnanswered,
    expectedConnectionErrors: connectionErrors.length - connectionErrors.filter((r) => !downAt(r)).length,
    heldThroughStartup: held.length,
    heldWorstMs: Math.max(0, ...held.map((r) => r.latencyMs)),
    heldWorstFromReadyMs: Math.max(0, ...held.map((r) => waited(r, facts.portalDown))),
  };
}

/** The recovery phase's customer answers sent after the last Retry-After the portal passed on had run out. */
export function recoveryAnswers(facts: Pick<RunFacts, "records" | "recoveryPhase">): { fromMs: number; answers: RequestRecord[] } {
  const phase = facts.records.filter((r) => r.phase === facts.recoveryPhase);
  const start = Math.min(...phase.map((r) => r.startMs));
  const released = Math.max(
    0,
    ...facts.records
      .filter((r) => r.status === 429 && r.retryAfterS !== null && r.phase !== facts.recoveryPhase)
      .map((r) => r.startMs + r.latencyMs + (r.retryAfterS ?? 0) * 1000),
  );
  const fromMs = Math.max(start, released);
  return { fromMs, answers: phase.filter((r) => r.startMs >= fromMs && r.status !== null && ACTION[r.kind] !== undefined) };
}

/** How long a request waited on a serving portal: from its send, or from the end of a restart it was sent during. */
export function waited(r: RequestRecord, portalDown: DownWindow[]): number {
  const restart = startingUp(r, portalDown);
  return restart ? Math.max(0, r.startMs + r.latencyMs - restart.warmMs) : r.latencyMs;
}

/** The restart a request was sent during, if any. */
function startingUp(r: RequestRecord, portalDown: DownWindow[]): DownWindow | undefined {
  return portalDown.find((w) => r.startMs >= w.fromMs && r.startMs <= w.warmMs);
}

const INVERSE: Record<string, true> = { "customers.list": true, "customer.view": true, "customer.reveal": true };
