"use client";

import { useState } from "react";
import { BUTTON, ROW, TD, TH } from "@/components/audit/styles";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
import type { SessionView } from "@/lib/auth/session-view";
import type { Translate } from "@/lib/i18n/translate";
import type { Key } from "@/lib/i18n/keys";
import { useIntlLocale, useT } from "@/lib/i18n/client";

type Props = { sessions: SessionView[]; showOwner: boolean; caption: string };

async function end(path: string, t: Translate<Key>): Promise<string | null> {
  const res = await fetch(path, { method: "DELETE", headers: { "content-type": "application/json" }, body: "{}" });
  if (res.ok) return null;
  const body: unknown = await res.json().catch(() => null);
  return body && typeof body === "object" && "message" in body ? String(body.message) : t("sessions.answered", { status: String(res.status) });
}

/** Open sessions with a way to end each, and (for one's own) all of them. Ending one's own current session signs out. */
export function SessionsTable({ sessions: initial, showOwner, caption }: Props) {
  const t = useT();
  const intl = useIntlLocale();
  const [sessions, setSessions] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  const endOne = async (s: SessionView) => {
    setError(null);
    const problem = await end(`/api/sessions/${encodeURIComponent(s.id)}`, t);
    if (problem) {
      setError(problem);
      return;
    }
    if (s.current) {
      window.location.assign("/login");
      return;
    }
    setSessions((all) => all.filter((x) => x.id !== s.id));
    setStatus(t("sessions.ended", { email: s.email, time: new Date(s.createdAt).toLocaleString(intl) }));
  };

  const endAll = async () => {
    setError(null);
    const problem = await end("/api/sessions", t);
    if (problem) {
      setError(problem);
      return;
    }
    window.location.assign("/login");
  };

  return (
    <div className="flex flex-col gap-3">
      {!showOwner && (
        <div>
          <button type="button" className={BUTTON} onClick={() => void endAll()}>
            {t("sessions.signOutEverywhere")}
          </button>
          <p className="mt-1 text-sm text-muted">{t("sessions.signOutEverywhereHelp")}</p>
        </div>
      )}
      {error && (
        <p role="alert" className="rounded-md border border-danger-edge bg-danger-bg p-2 text-sm text-danger-ink">
          {error}
        </p>
      )}
      <p role="status" className="sr-only">
        {status}
      </p>
      <Table caption={caption}>
        <thead>
          <tr>
            {showOwner && <th className={TH}>{t("sessions.columns.owner")}</th>}
            {(["signedIn", "lastActive", "endsBy", "address", "browser"] as const).map((column) => (
              <th key={column} className={TH}>
                {t(`sessions.columns.${column}`)}
              </th>
            ))}
            <th className={TH}>
              <span className="sr-only">{t("sessions.columns.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.length === 0 && (
            <tr className={ROW}>
              <td className={TD} colSpan={showOwner ? 7 : 6}>
                {t("sessions.empty")}
              </td>
            </tr>
          )}
          {sessions.map((s) => (
            <tr key={s.id} className={ROW}>
              {showOwner && (
                <td className={TD}>
                  {s.name} <span className="text-muted">{s.email}</span>
                </td>
              )}
              <td className={TD}>
                <LocalTime value={s.createdAt} withTime /> <span className="text-muted">({s.provider})</span>
                {s.current && <strong className="ms-1">{t("sessions.thisSession")}</strong>}
              </td>
              <td className={TD}>
                <LocalTime value={s.lastSeenAt} withTime />
              </td>
              <td className={TD}>
                <LocalTime value={s.expiresAt} withTime />
              </td>
              <td className={`${TD} font-mono`}>{s.clientAddress ?? "—"}</td>
              <td className={`${TD} max-w-64 truncate`} title={s.userAgent ?? undefined}>
                {s.userAgent ?? "—"}
              </td>
              <td className={TD}>
                <button
                  type="button"
                  className={BUTTON}
                  onClick={() => void endOne(s)}
                  aria-label={t("sessions.endFor", { email: s.email, time: s.createdAt })}
                >
                  {s.current ? t("sessions.signOut") : t("sessions.end")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
