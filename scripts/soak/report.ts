// The soak's printed summary: requests by phase and status, latency per phase, audit matches, the chain.
import { percentile } from "../../bench/harness";
import type { Findings, RequestRecord } from "./checks";
import type { CpuSample } from "./cpu";
import type { TimedPhase } from "./schedule";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")).join("\n");
}

const ms = (n: number) => (Number.isNaN(n) ? "-" : String(Math.round(n)));

export type SummaryInput = {
  startedAt: Date;
  phases: TimedPhase[];
  records: RequestRecord[];
  findings: Findings;
  recovery: string;
  verifyOutput: string;
  midRunVerify: string[];
  timeline: string[];
  settings: string;
  dir: string;
  cpu: CpuSample[];
  /** When the client gives up on an answer, in seconds; the machine's cores. */
  giveUpS: number;
  cores: number;
  notes: string[];
};

export function summarize(input: SummaryInput): string {
  const { records, findings } = input;
  const statuses = [...new Set(records.map((r) => r.status).filter((s): s is number => s !== null))].sort((a, b) => a - b);
  const header = ["phase", "secs", "sent", ...statuses.map(String), "conn", "p50 ms", "p99 ms", "max ms", "load", "cpu", "portal", "others"];
  const cpuOf = (from: number, to: number) => {
    const xs = input.cpu.filter((c) => c.atMs >= from && c.atMs < to);
    const mean = (f: (c: CpuSample) => number) => (xs.length === 0 ? "-" : (xs.reduce((sum, c) => sum + f(c), 0) / xs.length).toFixed(1));
    return [mean((c) => c.load1), mean((c) => c.machine), mean((c) => c.portal), mean((c) => Math.max(0, c.machine - c.ours))];
  };
  const row = (name: string, rs: RequestRecord[], secs: string, from: number, to: number) => {
    const lat = rs
      .filter((r) => r.status !== null)
      .map((r) => r.latencyMs)
      .sort((a, b) => a - b);
    return [
      name,
      secs,
      String(rs.length),
      ...statuses.map((s) => String(rs.filter((r) => r.status === s).length)),
      String(rs.filter((r) => r.status === null).length),
      ms(percentile(lat, 50)),
      ms(percentile(lat, 99)),
      ms(lat[lat.length - 1] ?? NaN),
      ...cpuOf(from, to),
    ];
  };
  const rows = [
    header,
    ...input.phases.map((p) =>
      row(
        p.name,
        records.filter((r) => r.phase === p.name),
        ((p.endMs - p.startMs) / 1000).toFixed(0),
        p.startMs,
        p.endMs,
      ),
    ),
  ];
  const endMs = input.phases[input.phases.length - 1]?.endMs ?? 0;
  rows.push(row("all", records, (endMs / 1000).toFixed(0), 0, endMs));

  const kinds = [...new Set(records.map((r) => r.kind))];
  const byKind = kinds.map((k) => `${k} ${records.filter((r) => r.kind === k).length}`).join(", ");
  const lines = [
    `Soak of ${input.startedAt.toISOString()} (${input.settings})`,
    `store and logs: ${input.dir}`,
    "",
    "Timeline:",
    ...input.timeline.map((t) => `  ${t}`),
    "",
    `Requests by phase and status (conn = no answer: refused or reset, or the client gave up after ${input.giveUpS} s);`,
    `load = 1-minute load average, cpu = cores busy on the whole machine (${input.cores} here), portal = its share, others = not the soak's:`,
    table(rows),
    `by kind: ${byKind}`,
    "",
    `Answers carrying customers: ${findings.carried}; with a matching audit event (same request id, actor, action, targets): ${findings.audited}`,
    `Audit events of answers lost in flight (written, then the portal was killed before answering): ${findings.auditedUnanswered}`,
    `Connection errors while the portal was down (expected): ${findings.expectedConnectionErrors}`,
    `Requests sent while the portal restarted and warmed up after a SIGKILL, answered: ${findings.heldThroughStartup} (longest ${ms(findings.heldWorstMs)} ms from send, ${ms(findings.heldWorstFromReadyMs)} ms from the portal answering promptly again)`,
    input.recovery,
    ...input.midRunVerify.map((v) => `audit:verify while running: ${v}`),
    `audit:verify after the run: ${input.verifyOutput.trim()}`,
    ...input.notes,
    "",
    findings.failures.length === 0 ? "RESULT: PASS (every check held)" : `RESULT: FAIL\n${findings.failures.join("\n")}`,
  ];
  return lines.join("\n");
}
