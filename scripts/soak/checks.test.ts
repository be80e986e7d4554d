import { describe, expect, it } from "vitest";
import { maskEmail, maskPhone } from "../../lib/customers/mask";
import { checkAnswer, judge, recoveryAnswers, waited, type AuditRow, type RequestRecord, type RunFacts, type Truth } from "./checks";

const A: Truth = { id: "11111111-1111-4111-8111-111111111111", email: "jane@example.com", phone_number: "+1-555-123-4567" };
const B: Truth = { id: "22222222-2222-4222-8222-222222222222", email: "joe@example.org", phone_number: "+33552199918" };
const truth = new Map([A, B].map((c) => [c.id, c]));
const masked = (c: Truth) => ({ id: c.id, email: maskEmail(c.email), phone_number: maskPhone(c.phone_number), masked: true });

describe("checkAnswer", () => {
  it("accepts Devdraft's rows for the query, masked, as customers carried", () => {
    const v = checkAnswer({ kind: "list", ids: [A.id, B.id], truth }, 200, "rid", [masked(A), masked(B)]);
    expect(v).toEqual({ carried: true, customerIds: [A.id, B.id], problems: [] });
  });

  it("flags an outage shown as no results, another query's rows, and unmasked contact details", () => {
    expect(checkAnswer({ kind: "list", ids: [A.id], truth }, 200, "rid", []).problems.join()).toMatch(/outage shown as no results/);
    expect(checkAnswer({ kind: "list", ids: [A.id], truth }, 200, "rid", [masked(B)]).problems.join()).toMatch(/not Devdraft's 1/);
    const revealed = checkAnswer({ kind: "list", ids: [A.id], truth }, 200, "rid", [{ ...masked(A), email: A.email }]);
    expect(revealed.problems.join()).toMatch(/email "jane@example.com" is not the masked/);
  });

  it("a true empty result is fine", () => {
    expect(checkAnswer({ kind: "list", ids: [], truth }, 200, "rid", []).problems).toEqual([]);
  });

  it("a reveal or detail must be the customer asked for, and a reveal only its contact", () => {
    expect(checkAnswer({ kind: "reveal", truth: A }, 200, "rid", { id: A.id, email: A.email, phone_number: A.phone_number }).problems).toEqual([]);
    expect(checkAnswer({ kind: "reveal", truth: A }, 200, "rid", { id: B.id, email: B.email, phone_number: B.phone_number }).problems.join()).toMatch(
      /answered customer/,
    );
    expect(checkAnswer({ kind: "reveal", truth: A }, 200, "rid", { ...A, first_name: "Jane" }).problems.join()).toMatch(/more than the contact/);
    expect(checkAnswer({ kind: "detail", truth: A }, 200, "rid", { ...A, email: maskEmail(A.email) }).problems.join()).toMatch(/email/);
  });

  it("failures: upstream kinds with a readable error body pass; a 500, a 404 or a bare 502 do not", () => {
    const body = (status: number) => ({ statusCode: status, message: "Devdraft did not answer in time", error: "Gateway Timeout" });
    for (const status of [429, 502, 503, 504]) expect(checkAnswer({ kind: "list", ids: [A.id], truth }, status, "rid", body(status)).problems).toEqual([]);
    expect(checkAnswer({ kind: "list", ids: [A.id], truth }, 500, "rid", body(500)).problems.join()).toMatch(/500/);
    expect(checkAnswer({ kind: "detail", truth: A }, 404, "rid", body(404)).problems.join()).toMatch(/not an upstream failure/);
    expect(checkAnswer({ kind: "list", ids: [A.id], truth }, 502, "rid", "").problems.join()).toMatch(/not a JSON error/);
    expect(checkAnswer({ kind: "list", ids: [A.id], truth }, 502, "rid", { ...body(502), data: [] }).problems.join()).toMatch(/more than an error/);
  });

  it("probes must be refused with the right status; sessions must name their owner", () => {
    expect(checkAnswer({ kind: "auditor-probe" }, 403, "rid", { statusCode: 403, message: "no", error: "Forbidden" }).problems).toEqual([]);
    expect(checkAnswer({ kind: "auditor-probe" }, 200, "rid", [masked(A)])).toMatchObject({
      carried: false,
      problems: ["auditor-probe answered 200, not 403"],
    });
    expect(checkAnswer({ kind: "session", email: "a@x" }, 200, null, { user: { email: "b@x" } }).problems.join()).toMatch(/names "b@x"/);
    expect(checkAnswer({ kind: "list", ids: [], truth }, 200, null, []).problems).toEqual(["answer has no x-request-id"]);
  });
});

describe("checkAnswer on the customers page", () => {
  const page = { kind: "page" as const, ids: [A.id], truth, staffName: "Alex Agent", otherStaffNames: ["Ada Admin"] };
  const html = (body: string) => `<header>Alex Agent (agent)</header><main>${body}</main>`;
  const table = (cells: string) => `<table><tr>${cells}</tr></table>`;

  it("rows of the query, masked, under the reader's name", () => {
    expect(checkAnswer(page, 200, "rid", undefined, html(table(`<td>${A.id}</td><td>${maskEmail(A.email)}</td>`)))).toEqual({
      carried: true,
      customerIds: [A.id],
      problems: [],
    });
  });

  it("a failure state is fine; an empty list, another staff member's name or an unmasked email is not", () => {
    expect(
      checkAnswer(page, 200, "rid", undefined, html("No customers are shown because the list could not be loaded, not because none match.")).problems,
    ).toEqual([]);
    expect(checkAnswer(page, 200, "rid", undefined, html("No customers match these filters")).problems.join()).toMatch(/outage shown as no results/);
    expect(checkAnswer(page, 200, "rid", undefined, `${html(A.id)}Ada Admin`).problems.join()).toMatch(/names Ada Admin/);
    expect(checkAnswer(page, 200, "rid", undefined, html(table(`<td>${A.id}</td><td>${A.email}</td>`))).problems.join()).toMatch(/unmasked/);
    expect(checkAnswer(page, 200, "rid", undefined, html(table(`<td>${A.id}</td><td>${B.id}</td>`))).problems.join()).toMatch(/another query/);
    expect(checkAnswer(page, 200, null, undefined, html(A.id)).problems.join()).toMatch(/no x-request-id/);
  });

  it("reads the states the page draws, not the messages its scripts carry for later", () => {
    const carried = `<script>self.__next_f.push([1,"No customers match these filters. not because none match"])</script>`;
    const failure = html(`No customers are shown because the list could not be loaded, not because none match.${carried}`);
    expect(checkAnswer(page, 200, "rid", undefined, failure).problems).toEqual([]);
    const bare = html(`<p>Loading</p>${carried}`);
    expect(checkAnswer(page, 200, "rid", undefined, bare).problems.join()).toMatch(/neither rows nor a failure state/);
  });

  it("counts the customer table's rows only: the person's recently viewed ids beside it are not this answer's", () => {
    const withRecent = html(`${table(`<td>${A.id}</td>`)}<section aria-labelledby="recently-viewed"><a href="/customers/${B.id}">${B.id}</a></section>`);
    expect(checkAnswer(page, 200, "rid", undefined, withRecent)).toEqual({ carried: true, customerIds: [A.id], problems: [] });
  });
});

function record(over: Partial<RequestRecord>): RequestRecord {
  return {
    seq: 1,
    phase: "normal",
    staff: "agent@demo.local",
    kind: "list",
    method: "GET",
    path: "/api/customers",
    startMs: 0,
    sentAt: 0,
    latencyMs: 50,
    status: 200,
    error: null,
    clientTimeout: false,
    requestId: "r1",
    retryAfterS: null,
    carried: true,
    customerIds: [A.id],
    problems: [],
    ...over,
  };
}
const event = (over: Partial<AuditRow> = {}): AuditRow => ({
  request_id: "r1",
  action: "customers.list",
  outcome: "ok",
  actor_email: "agent@demo.local",
  targets: [A.id],
  ...over,
});
const facts = (over: Partial<RunFacts>): RunFacts => ({
  records: [record({})],
  audit: [event()],
  portalDown: [],
  deadlineMs: 3000,
  marginMs: 1000,
  verify: { ok: true, output: "OK" },
  recoveryPhase: "normal",
  recoveryMinOkShare: 0.9,
  ...over,
});

describe("judge", () => {
  it("passes a run where every answer with customers is on record", () => {
    expect(judge(facts({})).failures).toEqual([]);
  });

  it("names answers whose audit event is missing, by someone else, or without the ids shown", () => {
    expect(judge(facts({ audit: [] })).failures.join("\n")).toMatch(/no audit event/);
    expect(judge(facts({ audit: [event({ actor_email: "admin@demo.local" })] })).failures.join("\n")).toMatch(/actor admin@demo.local/);
    expect(judge(facts({ audit: [event({ targets: [] })] })).failures.join("\n")).toMatch(/1 ids shown but not in targets/);
    expect(judge(facts({ audit: [event({ outcome: "upstream_error" })] })).failures.join("\n")).toMatch(/no audit event/);
  });

  it("fails a broken chain, a late answer and a hung one", () => {
    expect(judge(facts({ verify: { ok: false, output: "BROKEN at seq 3" } })).failures.join()).toMatch(/BROKEN at seq 3/);
    expect(judge(facts({ records: [record({ latencyMs: 4001, carried: false })] })).failures.join()).toMatch(/past the deadline/);
    expect(judge(facts({ records: [record({ status: null, clientTimeout: true, carried: false })] })).failures.join()).toMatch(/client gave up/);
  });

  it("connection errors count only while the portal was down; a request held through start-up is timed from then", () => {
    const down = [{ fromMs: 1000, listenMs: 2000, readyMs: 2500, warmMs: 3000 }];
    const refused = record({ startMs: 1500, latencyMs: 1, status: null, error: "ECONNREFUSED", carried: false });
    expect(judge(facts({ records: [refused], portalDown: down })).failures).toEqual([]);
    expect(judge(facts({ records: [{ ...refused, startMs: 9000 }], portalDown: down })).failures.join()).toMatch(/while the portal was up/);
    const held = record({ startMs: 2500, latencyMs: 4200 });
    expect(waited(held, down)).toBe(3700);
    expect(judge(facts({ records: [held], portalDown: down })).failures).toEqual([]);
  });

  it("recovery is judged after the last Retry-After passed on has run out", () => {
    const limited = record({ phase: "rate-limited", status: 429, retryAfterS: 60, startMs: 0, latencyMs: 10, carried: false, requestId: "r0" });
    const early = record({ phase: "recovery", status: 429, retryAfterS: 50, startMs: 30_000, carried: false, requestId: "r2" });
    const late = record({ phase: "recovery", startMs: 61_000, requestId: "r1" });
    const f = facts({ records: [limited, early, late], recoveryPhase: "recovery" });
    expect(recoveryAnswers(f).answers).toEqual([late]);
    expect(judge(f).failures).toEqual([]);
    expect(judge(facts({ records: [limited, { ...late, status: 429, retryAfterS: 1, carried: false }], recoveryPhase: "recovery" })).failures.join()).toMatch(
      /only 0.0%/,
    );
  });

  it("a 429 without Retry-After and a request id on two answers are failures", () => {
    expect(judge(facts({ records: [record({ status: 429, carried: false })] })).failures.join()).toMatch(/without a Retry-After/);
    expect(judge(facts({ records: [record({}), record({ seq: 2 })] })).failures.join()).toMatch(/more than one answer/);
  });
});
