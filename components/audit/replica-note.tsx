import type { ReplicaLag } from "@/lib/audit/read-source";
import type { Translate } from "@/lib/i18n/translate";
import type { Key } from "@/lib/i18n/keys";
import { interleave } from "@/lib/i18n/interleave";
import { englishT } from "@/lib/i18n/english";

/** "Showing the log as of …": drawn above the events when the read replica lags; nothing when it is current. */
export function ReplicaNote({ lag, t = englishT }: { lag: ReplicaLag | null; t?: Translate<Key> }) {
  if (!lag) return null;
  const time = lag.asOf.toISOString().slice(11, 19);
  return (
    <p role="status" className="rounded-md border border-edge bg-sunken p-2 text-sm text-muted">
      {interleave(t("audit.replica", { seconds: lag.behindSeconds }), {
        time: (
          <time dateTime={lag.asOf.toISOString()} title="UTC">
            {time}
          </time>
        ),
      })}
    </p>
  );
}
