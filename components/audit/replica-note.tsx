import type { ReplicaLag } from "@/lib/audit/read-source";

/** "Showing the log as of …": drawn above the events when the read replica lags; nothing when it is current. */
export function ReplicaNote({ lag }: { lag: ReplicaLag | null }) {
  if (!lag) return null;
  const time = lag.asOf.toISOString().slice(11, 19);
  return (
    <p
      role="status"
      className="rounded-md border border-slate-300 bg-slate-50 p-2 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
    >
      Showing the log as of{" "}
      <time dateTime={lag.asOf.toISOString()} title="UTC">
        {time}
      </time>
      {` (the read replica is ${lag.behindSeconds} s behind)`}
    </p>
  );
}
