export type AccessEvent = { id: string; at: string; actor_email: string | null; action: string; outcome: string };
export type AccessRow = AccessEvent & { times: number };

/**
 * Consecutive events of one staff member doing the same thing with the same outcome within the same minute read
 * as one row with a count: a page of look-ahead listings should not bury the one "Opened this page".
 */
export function groupAccess(events: readonly AccessEvent[]): AccessRow[] {
  const rows: AccessRow[] = [];
  for (const event of events) {
    const last = rows.at(-1);
    const same =
      last !== undefined &&
      last.actor_email === event.actor_email &&
      last.action === event.action &&
      last.outcome === event.outcome &&
      last.at.slice(0, 16) === event.at.slice(0, 16);
    if (same) last.times += 1;
    else rows.push({ ...event, times: 1 });
  }
  return rows;
}
