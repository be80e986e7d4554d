"use client";

import { useRouter } from "next/navigation";
import { type SubmitEvent, useId, useState } from "react";
import { apiMessages } from "@/lib/customers/answers";
import { BUTTON, INPUT } from "./styles";
import { formText } from "@/components/ui/form-text";
import { alertClass } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

/** The note and the Acknowledge button of one open alert; the server records who, when and the note. */
export function AcknowledgeAlert({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const t = useT();
  const noteId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = formText(new FormData(event.currentTarget), "note");
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch(`/api/audit/alerts/${encodeURIComponent(id)}/acknowledge`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ note }),
      });
      if (!res.ok) {
        const body: unknown = await res.json().catch(() => null);
        setProblem(t("audit.alerts.notAcknowledged", { reason: apiMessages(body, res.status).join("; ") }));
        if (res.status === 409) router.refresh();
        return;
      }
      router.refresh();
    } catch {
      setProblem(t("audit.alerts.unreachable"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-wrap items-end gap-2" aria-label={t("audit.alerts.acknowledgeFor", { label })}>
      <div className="flex min-w-64 flex-1 flex-col gap-1">
        <label htmlFor={noteId} className="text-xs font-medium">
          {t("audit.alerts.note")}
        </label>
        <input id={noteId} name="note" maxLength={500} className={INPUT} />
      </div>
      <button type="submit" disabled={busy} className={BUTTON}>
        {busy ? t("audit.alerts.acknowledging") : t("audit.alerts.acknowledge")}
      </button>
      {problem && (
        <p role="alert" className={`${alertClass("error", false)} w-full`}>
          {problem}
        </p>
      )}
    </form>
  );
}
