/**
 * Who gets the next upstream slot when callers wait for the budget (issue 16, point 5). One rule, used by the
 * in-memory budget and by the store-backed one across instances:
 *
 * 1. Lanes: `interactive` (page views, API v0) before `export` before `background` (anything else). A lower lane is
 *    not starved: once `LANE_RESERVE[lane]` slots in a row went to higher lanes while it waited, its next waiter
 *    gets the slot (export: 1 slot in 5 while contended, background: 1 in 10).
 * 2. Within a lane, people share: the person served least recently goes first (someone never served, or not since
 *    the others, before someone who has just been), each person's own requests in arrival order. One person's burst
 *    therefore costs the others at most one slot per other waiting person, and a person alone gets every slot.
 *
 * A person is a staff id (an API token counts as its owner); callers without one share the key "".
 */
export const LANES = ["interactive", "export", "background"] as const;
export type Lane = (typeof LANES)[number];

/** Slots in a row that may go to higher lanes while this lane waits; then it gets one. */
const LANE_RESERVE: Readonly<Record<Lane, number>> = { interactive: 0, export: 4, background: 9 };

export type Candidate = { lane: Lane; who: string; seq: number };
/** `passed`: slots in a row given to higher lanes while each lane waited; `lastServed`: a person's last turn. */
export type ShareState = { passed: Record<Lane, number>; lastServed: ReadonlyMap<string, number> };

export const zeroPerLane = (): Record<Lane, number> => ({ interactive: 0, export: 0, background: 0 });

/** The waiter the next slot goes to, or undefined when nobody waits. */
export function pickNext<C extends Candidate>(waiting: readonly C[], state: ShareState): C | undefined {
  const lanes = LANES.filter((lane) => waiting.some((w) => w.lane === lane));
  const due = [...lanes].reverse().find((lane) => LANE_RESERVE[lane] > 0 && state.passed[lane] >= LANE_RESERVE[lane]);
  const lane = due ?? lanes[0];
  let best: C | undefined;
  let bestTurn = 0;
  for (const w of waiting) {
    if (w.lane !== lane) continue;
    const turn = state.lastServed.get(w.who) ?? Number.NEGATIVE_INFINITY;
    if (best === undefined || turn < bestTurn || (turn === bestTurn && w.seq < best.seq)) {
      best = w;
      bestTurn = turn;
    }
  }
  return best;
}

/** The lanes' counts once `lane` got a slot and `stillWaiting` wait on: lower lanes still waiting were passed. */
export function passedAfter(passed: Record<Lane, number>, lane: Lane, stillWaiting: readonly Candidate[]): Record<Lane, number> {
  const rank = LANES.indexOf(lane);
  const next = zeroPerLane();
  for (const [i, other] of LANES.entries()) {
    if (other === lane || !stillWaiting.some((w) => w.lane === other)) continue;
    next[other] = i > rank ? passed[other] + 1 : passed[other];
  }
  return next;
}

/** Everyone waiting, in the order they would be served if nobody else arrived. */
export function serviceOrder<C extends Candidate>(waiting: readonly C[], state: ShareState, turn: number): C[] {
  const left = [...waiting];
  const lastServed = new Map(state.lastServed);
  let passed = state.passed;
  const order: C[] = [];
  for (let next = pickNext(left, { passed, lastServed }); next !== undefined; next = pickNext(left, { passed, lastServed })) {
    left.splice(left.indexOf(next), 1);
    passed = passedAfter(passed, next.lane, left);
    lastServed.set(next.who, ++turn);
    order.push(next);
  }
  return order;
}
