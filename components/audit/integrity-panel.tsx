import type { IntegrityStatus } from "@/lib/audit/integrity";
import { PANEL } from "./styles";

const number = new Intl.NumberFormat("en-US");

/** The latest verification of the hash chain, by any portal instance. */
export function IntegrityPanel({ status }: { status: IntegrityStatus | null }) {
  return (
    <section aria-labelledby="integrity" className={PANEL}>
      <h2 id="integrity" className="text-lg font-semibold">Chain integrity</h2>
      {status === null ? (
        <p className="mt-1 text-sm">Not verified yet: the server verifies the chain shortly after it starts, then on a schedule.</p>
      ) : (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">Result</dt>
          <dd>
            {status.ok ? (
              <span className="font-semibold text-green-800 dark:text-green-300">Intact</span>
            ) : (
              <span className="font-semibold text-red-800 dark:text-red-300">Broken</span>
            )}
          </dd>
          <dt className="font-medium">Events checked</dt>
          <dd className="tabular-nums">{number.format(status.checked)}</dd>
          {status.firstBad && (
            <>
              <dt className="font-medium">First broken link</dt>
              <dd className="break-all">
                seq {status.firstBad.seq}
                {status.firstBad.id && <> (event <span className="font-mono text-xs">{status.firstBad.id}</span>)</>}: {status.firstBad.reason}
              </dd>
            </>
          )}
          <dt className="font-medium">Last verified</dt>
          <dd>
            <time dateTime={status.verifiedAt}>{status.verifiedAt.replace("T", " ").slice(0, 19)} UTC</time> (took {number.format(status.durationMs)} ms)
          </dd>
        </dl>
      )}
    </section>
  );
}
