import type { CheckpointStatus, IntegrityStatus } from "@/lib/audit/integrity";
import type { SinkStatus } from "@/lib/siem/outbox";
import { PANEL } from "./styles";

const number = new Intl.NumberFormat("en-US");

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/** The latest verification of the hash chain and Merkle tree (by any portal instance), and the newest signed checkpoint. */
export function IntegrityPanel({
  status,
  checkpoint,
  siem = [],
}: {
  status: IntegrityStatus | null;
  checkpoint: CheckpointStatus | null;
  siem?: readonly SinkStatus[];
}) {
  return (
    <section aria-labelledby="integrity" className={PANEL}>
      <h2 id="integrity" className="text-lg font-semibold">
        Chain integrity
      </h2>
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
          {checkpoint.witnesses && (
            <>
              <dt className="font-medium">Witnesses</dt>
              <dd>
                <Witnesses w={checkpoint.witnesses} />
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
                {status.firstBad.id && (
                  <>
                    {" "}
                    (event <span className="font-mono text-xs">{status.firstBad.id}</span>)
                  </>
                )}
                : {status.firstBad.reason}
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
      {siem.length > 0 && <SiemStream sinks={siem} />}
    </section>
  );
}

/** Who cosigned the checkpoint (C2SP tlog-witness), who did not, and a cosignature that does not verify. */
function Witnesses({ w }: { w: NonNullable<CheckpointStatus["witnesses"]> }) {
  const short = w.quorum > 0 && w.cosigned.length < w.quorum;
  return (
    <ul aria-label="Witnesses">
      <li>
        {w.cosigned.length > 0 ? (
          <span className="font-semibold text-green-800 dark:text-green-300">Cosigned by {w.cosigned.join(", ")}</span>
        ) : (
          "Cosigned by none"
        )}
        {w.quorum > 0 && (
          <span className={short ? "font-semibold text-red-800 dark:text-red-300" : undefined}>
            {" "}
            ({w.cosigned.length} of the quorum of {w.quorum}
            {short ? ": below the quorum" : ""})
          </span>
        )}
      </li>
      {w.missing.length > 0 && <li>Not cosigned by {w.missing.join(", ")}</li>}
      {w.bad.map((b) => (
        <li key={b} className="break-all font-semibold text-red-800 dark:text-red-300">
          {b}
        </li>
      ))}
      {w.unknown.length > 0 && <li className="break-all">Cosignatures by keys not configured (not checked): {w.unknown.join(", ")}</li>}
    </ul>
  );
}

/** The audit log's stream to the security team's SIEM, per sink: what is not delivered yet and why. */
function SiemStream({ sinks }: { sinks: readonly SinkStatus[] }) {
  return (
    <>
      <h3 className="mt-3 text-sm font-semibold">Streaming to the SIEM</h3>
      <table className="mt-1 text-sm" aria-label="Streaming to the SIEM">
        <thead>
          <tr className="text-start">
            <th scope="col" className="pe-4 font-medium">
              Sink
            </th>
            <th scope="col" className="pe-4 font-medium">
              Backlog
            </th>
            <th scope="col" className="pe-4 font-medium">
              Lag
            </th>
            <th scope="col" className="pe-4 font-medium">
              Last delivered
            </th>
            <th scope="col" className="font-medium">
              Last error
            </th>
          </tr>
        </thead>
        <tbody>
          {sinks.map((s) => (
            <tr key={s.sink}>
              <th scope="row" className="pe-4 text-start font-normal">
                {s.sink}
                {!s.configured && " (not configured here; its cursor holds retention back)"}
              </th>
              <td className="pe-4 tabular-nums">{number.format(s.backlog)} events</td>
              <td className="pe-4 tabular-nums">{s.backlog === 0 ? "none" : `${number.format(s.lagSeconds)} s`}</td>
              <td className="pe-4">{s.lastDeliveredAt ? <time dateTime={s.lastDeliveredAt}>{when(s.lastDeliveredAt)}</time> : "never"}</td>
              <td className="break-all">
                {s.attempts > 0 && s.lastError ? (
                  <span className="font-semibold text-red-800 dark:text-red-300">
                    {s.lastError} ({number.format(s.attempts)} failed {s.attempts === 1 ? "attempt" : "attempts"}
                    {s.nextAttemptAt ? (
                      <>
                        ; next at <time dateTime={s.nextAttemptAt}>{when(s.nextAttemptAt)}</time>
                      </>
                    ) : null}
                    )
                  </span>
                ) : s.lastError && s.lastErrorAt ? (
                  <>
                    none since; last was {s.lastError} at <time dateTime={s.lastErrorAt}>{when(s.lastErrorAt)}</time>
                  </>
                ) : (
                  "none"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
