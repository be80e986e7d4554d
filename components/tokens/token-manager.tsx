"use client";

import { useRouter } from "next/navigation";
import { type SubmitEvent, useState } from "react";
import { BUTTON, INPUT, PANEL, ROW, TD, TH } from "@/components/audit/styles";
import { useStepUp } from "@/components/session/step-up";
import { CopyButton } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
import type { ApiTokenSummary, CreatedApiToken } from "@/lib/auth/api-tokens";
import { formText } from "@/components/ui/form-text";
import type { Translate } from "@/lib/i18n/translate";
import type { Key } from "@/lib/i18n/keys";
import { useT } from "@/lib/i18n/client";

type Props = { tokens: ApiTokenSummary[]; now: string; defaultDays: number; maxDays: number };

// The portal's error shape: `message` is one text or Devdraft-style list of texts.
async function problemOf(res: Response, t: Translate<Key>): Promise<string[]> {
  const body = (await res.json().catch(() => null)) as { message?: unknown } | null;
  const message = body?.message;
  if (Array.isArray(message)) return message.map(String);
  return [typeof message === "string" ? message : t("tokens.answered", { status: String(res.status) })];
}

function stateOf(token: ApiTokenSummary, now: string): { label: "revoked" | "expired" | "active"; live: boolean } {
  if (token.revokedAt) return { label: "revoked", live: false };
  if (token.expiresAt <= now) return { label: "expired", live: false };
  return { label: "active", live: true };
}

/** Create, show once, list and revoke the signed-in staff member's own tokens. */
export function TokenManager({ tokens, now, defaultDays, maxDays }: Props) {
  const router = useRouter();
  const t = useT();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [problem, setProblem] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const { guarded, dialog } = useStepUp();

  async function create(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = formText(form, "days").trim();
    setBusy(true);
    setProblem(null);
    try {
      const body = JSON.stringify({ label: formText(form, "label"), days: days === "" ? undefined : days });
      const res = await guarded(() => fetch("/api/tokens", { method: "POST", headers: { "content-type": "application/json" }, body }));
      if (!res.ok) {
        setProblem(await problemOf(res, t));
        return;
      }
      setCreated((await res.json()) as CreatedApiToken);
      router.refresh();
    } catch {
      setProblem([t("tokens.unreachable")]);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: ApiTokenSummary) {
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch(`/api/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      if (!res.ok) setProblem(await problemOf(res, t));
      if (created?.id === token.id) setCreated(null);
      router.refresh();
    } catch {
      setProblem([t("tokens.unreachable")]);
    } finally {
      setBusy(false);
    }
  }

  const envLines = created ? `DEVDRAFT_CLIENT_KEY=${created.id}\nDEVDRAFT_CLIENT_SECRET=${created.secret}` : "";

  return (
    <>
      {dialog}
      <form
        onSubmit={(e) => void create(e)}
        aria-label={t("tokens.form")}
        className={`${PANEL} grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end`}
      >
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor="token-label" className="text-sm font-medium">
            {t("tokens.label")}
          </label>
          <input id="token-label" name="label" maxLength={100} placeholder={t("tokens.labelPlaceholder")} autoComplete="off" className={INPUT} />
        </div>
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor="token-days" className="text-sm font-medium">
            {t("tokens.days")}
          </label>
          <input
            id="token-days"
            name="days"
            type="number"
            min={1}
            max={maxDays}
            step={1}
            defaultValue={defaultDays}
            aria-describedby="token-days-hint"
            className={INPUT}
          />
          <p id="token-days-hint" className="text-xs text-muted">
            {t("tokens.daysHint", { max: maxDays })}
          </p>
        </div>
        <div className="sm:pb-5">
          <button type="submit" disabled={busy} className={BUTTON}>
            {t("tokens.create")}
          </button>
        </div>
      </form>

      {problem && (
        <section role="alert" aria-labelledby="token-problem" className="rounded-md border border-danger-edge p-3 text-sm text-danger-ink">
          <h2 id="token-problem" className="font-medium">
            {t("tokens.problem")}
          </h2>
          <ul className="list-disc ps-5">
            {problem.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
      )}

      {created && (
        <section aria-labelledby="token-created" className="rounded-md border border-success-edge p-4 text-sm">
          <h2 id="token-created" className="font-semibold">
            {t("tokens.createdTitle")}
          </h2>
          <p className="mt-1 text-muted">{t("tokens.createdBody")}</p>
          <pre aria-label={t("tokens.envLines")} className="mt-3 overflow-x-auto rounded bg-hover p-3 font-mono text-xs text-fg">
            {envLines}
          </pre>
          <div className="mt-2 flex flex-wrap gap-3">
            <CopyButton value={envLines} label={t("tokens.copyBoth")} />
            <CopyButton value={created.id} label={t("tokens.copyKey")} />
            <CopyButton value={created.secret} label={t("tokens.copySecret")} />
          </div>
        </section>
      )}

      <section aria-labelledby="token-list">
        <h2 id="token-list" className="mb-2 font-semibold">
          {t("tokens.list")}
        </h2>
        {tokens.length === 0 ? (
          <p className="text-sm text-muted">{t("tokens.empty")}</p>
        ) : (
          <Table caption={t("tokens.caption")}>
            <thead>
              <tr>
                {(["label", "key", "state", "created", "expires", "lastUsed"] as const).map((column) => (
                  <th key={column} scope="col" className={TH}>
                    {t(`tokens.columns.${column}`)}
                  </th>
                ))}
                <th scope="col" className={TH}>
                  <span className="sr-only">{t("tokens.columns.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const state = stateOf(token, now);
                return (
                  <tr key={token.id} className={ROW}>
                    <td className={TD}>{token.label}</td>
                    <td className={`${TD} font-mono text-xs`}>{token.id}</td>
                    <td className={TD}>
                      {t(`tokens.states.${state.label}`)}
                      {token.revokedAt && (
                        <>
                          {" "}
                          <LocalTime value={token.revokedAt} withTime />
                        </>
                      )}
                    </td>
                    <td className={TD}>
                      <LocalTime value={token.createdAt} withTime />
                    </td>
                    <td className={TD}>
                      <LocalTime value={token.expiresAt} withTime />
                    </td>
                    <td className={TD}>
                      <LocalTime value={token.lastUsedAt} withTime fallback={t("tokens.never")} />
                    </td>
                    <td className={TD}>
                      {state.live && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void revoke(token)}
                          aria-label={t("tokens.revokeFor", { label: token.label, id: token.id })}
                          className={BUTTON}
                        >
                          {t("tokens.revoke")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </section>
    </>
  );
}
