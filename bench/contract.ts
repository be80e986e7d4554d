// What the zod/mini contract costs per request: the portal's validator (lib/contract/schema.ts) beside the same
// rules as plain predicates (the page's lenient reading, lib/contract/query.ts) and the sandbox's DTO, over the one
// table of query cases. Prints medians of rounds; no thresholds.
//   npm run bench:contract [-- --rounds 31]
import { coerceViewQuery } from "../lib/contract/query";
import { validateCustomersQuery } from "../lib/contract/schema";
import { parseListQuery } from "../sandbox/list-query";
import { QUERY_CASES } from "../test/support/query-cases";
import { median, table } from "./harness";

const roundsArg = process.argv.indexOf("--rounds");
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 31;
const PASSES = 200;
const inputs = QUERY_CASES.map(([query]) => new URLSearchParams(query));

const VALIDATORS = [
  ["plain predicates (coerceViewQuery, the browser's)", (params: URLSearchParams) => coerceViewQuery(params)],
  ["zod/mini contract (validateCustomersQuery, the portal's)", (params: URLSearchParams) => validateCustomersQuery(params)],
  ["zod/mini shape, sandbox's statuses (parseListQuery)", (params: URLSearchParams) => parseListQuery(params)],
] as const;

/** Microseconds per call of one pass set: PASSES passes over every case. */
function timeOnce(run: (params: URLSearchParams) => unknown): number {
  const began = performance.now();
  for (let pass = 0; pass < PASSES; pass++) for (const params of inputs) run(params);
  return ((performance.now() - began) * 1000) / (PASSES * inputs.length);
}

// Each round times every validator in turn, so a ratio compares runs under the same load; the first two rounds warm
// the JIT and are not counted.
const perCall: number[][] = VALIDATORS.map(() => []);
const ratios: number[][] = VALIDATORS.map(() => []);
for (let round = 0; round < ROUNDS + 2; round++) {
  const times = VALIDATORS.map(([, run]) => timeOnce(run));
  if (round < 2) continue;
  times.forEach((us, i) => {
    perCall[i]?.push(us);
    ratios[i]?.push(us / (times[0] ?? Number.NaN));
  });
}
console.log(`${inputs.length} cases × ${PASSES} passes, medians of ${ROUNDS} rounds, Node ${process.version}`);
console.log(
  table(
    ["validator", "µs per call", "× plain (per round)"],
    VALIDATORS.map(([name], i) => [name, median(perCall[i] ?? []).toFixed(2), median(ratios[i] ?? []).toFixed(2)]),
  ),
);
