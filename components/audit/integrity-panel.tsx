import type { CheckpointStatus, IntegrityStatus } from "@/lib/audit/integrity";
import { PANEL } from "./styles";

const number = new Intl.NumberFormat("en-US");

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/** The latest verification of the hash chain and Merkle tree (by any portal instance), and the newest signed checkpoint. */
export function IntegrityPanel({ status, checkpoint }: { status: IntegrityStatus | null; checkpoint: CheckpointStatus | null }) {
  return (
    <section aria-labelledby="integrity" className={PANEL}>
      <h2 id="integrity" className="text-lg font-semibold">Chain integrity</h2>
      <h3 className="mt-2 text-sm font-semibold">Latest signed checkpoint</h3>
      {checkpoint === null ? (
        <p className="mt-1 text-sm">None yet: each instance signs one at least every 30 seconds.</p>
      ) : (
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Latest signed checkpoint">
          <dt className="font-medium">Signature</dt>
          <dd>
            {checkpoint.signatureValid ? (
              <span className="font-semibold text-green-800 dark:text-green-300">Valid</span>
            ) : (
              <span className="font-semibold text-red-800 dark:text-red-300">Not valid{checkpoint.problem ? `: ${checkpoint.problem}` : ""}</span>
            )}
          </dd>
          {checkpoint.size !== null && (
            <>
              <dt className="font-medium">Tree size</dt>
              <dd className="tabular-nums">{number.format(checkpoint.size)} events</dd>
            </>
          )}
          {checkpoint.root && (
            <>
              <dt className="font-medium">Root</dt>
              <dd className="break-all font-mono text-xs">{checkpoint.root}</dd>
            </>
          )}
          {checkpoint.signedAt && (
            <>
              <dt className="font-medium">Signed</dt>
              <dd>
                <time dateTime={checkpoint.signedAt}>{when(checkpoint.signedAt)}</time>
              </dd>
            </>
          )}
          {checkpoint.file && (
            <>
              <dt className="font-medium">File</dt>
              <dd className="break-all font-mono text-xs">{checkpoint.file}</dd>
            </>
          )}
        </dl>
      )}
      <h3 className="mt-3 text-sm font-semibold">Last verification</h3>
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
          <dt className="font-medium">Signed checkpoints</dt>
          <dd>
            {status.checkpoints === null
              ? "not checked (no signing key yet)"
              : `${number.format(status.checkpoints.files)} checked${status.checkpoints.file ? `; ${status.ok ? "newest matched" : "proof"}: ${status.checkpoints.file}` : ""}`}
          </dd>
          <dt className="font-medium">Last verified</dt>
          <dd>
            <time dateTime={status.verifiedAt}>{when(status.verifiedAt)}</time> (took {number.format(status.durationMs)} ms)
          </dd>
        </dl>
      )}
    </section>
  );
}
