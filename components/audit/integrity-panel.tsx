import type { CheckpointStatus, IntegrityStatus } from "@/lib/audit/integrity";
import type { SinkStatus } from "@/lib/siem/outbox";
import { englishT } from "@/lib/i18n/english";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { interleave } from "@/lib/i18n/interleave";
import { PANEL } from "./styles";

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/** The latest verification of the hash chain and Merkle tree (by any portal instance), and the newest signed checkpoint. */
export function IntegrityPanel({
  status,
  checkpoint,
  siem = [],
  t = englishT,
}: {
  status: IntegrityStatus | null;
  checkpoint: CheckpointStatus | null;
  siem?: readonly SinkStatus[];
  /** The reader's language (getT() on the page); English by default. */
  t?: Translate<Key>;
}) {
  return (
    <section aria-labelledby="integrity" className={PANEL}>
      <h2 id="integrity" className="text-lg font-semibold">
        {t("audit.integrity.title")}
      </h2>
      <h3 className="mt-2 text-sm font-semibold">{t("audit.integrity.checkpoint")}</h3>
      {checkpoint === null ? (
        <p className="mt-1 text-sm">{t("audit.integrity.noCheckpoint")}</p>
      ) : (
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label={t("audit.integrity.checkpoint")}>
          <dt className="font-medium">{t("audit.integrity.signature")}</dt>
          <dd>
            {checkpoint.signatureValid ? (
              <span className="font-semibold text-green-800 dark:text-green-300">{t("audit.integrity.valid")}</span>
            ) : (
              <span className="font-semibold text-danger">
                {checkpoint.problem ? t("audit.integrity.notValidBecause", { problem: checkpoint.problem }) : t("audit.integrity.notValid")}
              </span>
            )}
          </dd>
          {checkpoint.size !== null && (
            <>
              <dt className="font-medium">{t("audit.integrity.treeSize")}</dt>
              <dd className="tabular-nums">{t("audit.integrity.events", { count: checkpoint.size })}</dd>
            </>
          )}
          {checkpoint.root && (
            <>
              <dt className="font-medium">{t("audit.integrity.root")}</dt>
              <dd className="break-all font-mono text-xs">{checkpoint.root}</dd>
            </>
          )}
          {checkpoint.signedAt && (
            <>
              <dt className="font-medium">{t("audit.integrity.signed")}</dt>
              <dd>
                <time dateTime={checkpoint.signedAt}>{when(checkpoint.signedAt)}</time>
              </dd>
            </>
          )}
          {checkpoint.witnesses && (
            <>
              <dt className="font-medium">{t("audit.integrity.witnesses")}</dt>
              <dd>
                <Witnesses w={checkpoint.witnesses} t={t} />
              </dd>
            </>
          )}
          {checkpoint.file && (
            <>
              <dt className="font-medium">{t("audit.integrity.file")}</dt>
              <dd className="break-all font-mono text-xs">{checkpoint.file}</dd>
            </>
          )}
        </dl>
      )}
      <h3 className="mt-3 text-sm font-semibold">{t("audit.integrity.lastVerification")}</h3>
      {status === null ? (
        <p className="mt-1 text-sm">{t("audit.integrity.notVerified")}</p>
      ) : (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">{t("audit.integrity.result")}</dt>
          <dd>
            {status.ok ? (
              <span className="font-semibold text-green-800 dark:text-green-300">{t("audit.integrity.intact")}</span>
            ) : (
              <span className="font-semibold text-danger">{t("audit.integrity.broken")}</span>
            )}
          </dd>
          <dt className="font-medium">{t("audit.integrity.checked")}</dt>
          <dd className="tabular-nums">{t("audit.report.count", { count: status.checked })}</dd>
          {status.firstBad && (
            <>
              <dt className="font-medium">{t("audit.integrity.firstBroken")}</dt>
              <dd className="break-all">
                {t("audit.integrity.seq", { seq: String(status.firstBad.seq) })}
                {status.firstBad.id && (
                  <> {interleave(t("audit.integrity.event"), { id: <span className="font-mono text-xs">{status.firstBad.id}</span> })}</>
                )}: {status.firstBad.reason}
              </dd>
            </>
          )}
          <dt className="font-medium">{t("audit.integrity.checkpoints")}</dt>
          <dd>{status.checkpoints === null ? t("audit.integrity.checkpointsUnchecked") : checkpointsText(t, status.ok, status.checkpoints)}</dd>
          <dt className="font-medium">{t("audit.integrity.lastVerified")}</dt>
          <dd>
            {interleave(t("audit.integrity.took", { ms: status.durationMs }), { time: <time dateTime={status.verifiedAt}>{when(status.verifiedAt)}</time> })}
          </dd>
        </dl>
      )}
      {siem.length > 0 && <SiemStream sinks={siem} t={t} />}
    </section>
  );
}

/** Who cosigned the checkpoint (C2SP tlog-witness), who did not, and a cosignature that does not verify. */
function Witnesses({ w, t }: { w: NonNullable<CheckpointStatus["witnesses"]>; t: Translate<Key> }) {
  const short = w.quorum > 0 && w.cosigned.length < w.quorum;
  return (
    <ul aria-label={t("audit.integrity.witnesses")}>
      <li>
        {w.cosigned.length > 0 ? (
          <span className="font-semibold text-green-800 dark:text-green-300">{t("audit.integrity.cosignedBy", { names: w.cosigned.join(", ") })}</span>
        ) : (
          t("audit.integrity.cosignedByNone")
        )}
        {w.quorum > 0 && (
          <span className={short ? "font-semibold text-danger" : undefined}>
            {" "}
            {t(short ? "audit.integrity.belowQuorum" : "audit.integrity.quorum", { count: w.cosigned.length, quorum: w.quorum })}
          </span>
        )}
      </li>
      {w.missing.length > 0 && <li>{t("audit.integrity.notCosignedBy", { names: w.missing.join(", ") })}</li>}
      {w.bad.map((b) => (
        <li key={b} className="break-all font-semibold text-danger">
          {b}
        </li>
      ))}
      {w.unknown.length > 0 && <li className="break-all">{t("audit.integrity.unknownKeys", { names: w.unknown.join(", ") })}</li>}
    </ul>
  );
}

/** The audit log's stream to the security team's SIEM, per sink: what is not delivered yet and why. */
function SiemStream({ sinks, t }: { sinks: readonly SinkStatus[]; t: Translate<Key> }) {
  return (
    <>
      <h3 className="mt-3 text-sm font-semibold">{t("audit.integrity.siem")}</h3>
      <table className="mt-1 text-sm" aria-label={t("audit.integrity.siem")}>
        <thead>
          <tr className="text-start">
            <th scope="col" className="pe-4 font-medium">
              {t("audit.integrity.sink")}
            </th>
            <th scope="col" className="pe-4 font-medium">
              {t("audit.integrity.backlog")}
            </th>
            <th scope="col" className="pe-4 font-medium">
              {t("audit.integrity.lag")}
            </th>
            <th scope="col" className="pe-4 font-medium">
              {t("audit.integrity.lastDelivered")}
            </th>
            <th scope="col" className="font-medium">
              {t("audit.integrity.lastError")}
            </th>
          </tr>
        </thead>
        <tbody>
          {sinks.map((s) => (
            <tr key={s.sink}>
              <th scope="row" className="pe-4 text-start font-normal">
                {s.sink}
                {!s.configured && t("audit.integrity.notConfigured")}
              </th>
              <td className="pe-4 tabular-nums">{t("audit.integrity.events", { count: s.backlog })}</td>
              <td className="pe-4 tabular-nums">{s.backlog === 0 ? t("audit.integrity.none") : t("audit.integrity.seconds", { count: s.lagSeconds })}</td>
              <td className="pe-4">{s.lastDeliveredAt ? <time dateTime={s.lastDeliveredAt}>{when(s.lastDeliveredAt)}</time> : t("audit.integrity.never")}</td>
              <td className="break-all">
                {s.attempts > 0 && s.lastError ? (
                  <span className="font-semibold text-danger">
                    {interleave(t("audit.integrity.failing", { error: s.lastError, attempts: t("audit.integrity.failedAttempts", { count: s.attempts }) }), {
                      next: s.nextAttemptAt
                        ? interleave(t("audit.integrity.nextAt"), { time: <time dateTime={s.nextAttemptAt}>{when(s.nextAttemptAt)}</time> })
                        : null,
                    })}
                  </span>
                ) : s.lastError && s.lastErrorAt ? (
                  <>
                    {interleave(t("audit.integrity.recovered", { error: s.lastError }), { time: <time dateTime={s.lastErrorAt}>{when(s.lastErrorAt)}</time> })}
                  </>
                ) : (
                  t("audit.integrity.none")
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** "2 checked; newest matched: file" (or "; proof: file" when the chain is broken). */
function checkpointsText(t: Translate<Key>, ok: boolean, checkpoints: NonNullable<IntegrityStatus["checkpoints"]>): string {
  const checked = t("audit.integrity.checkpointsChecked", { count: checkpoints.files });
  if (!checkpoints.file) return checked;
  return t(ok ? "audit.integrity.newestMatched" : "audit.integrity.proof", { checked, file: checkpoints.file });
}
