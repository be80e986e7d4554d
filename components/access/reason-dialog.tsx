"use client";

import { useT } from "@/lib/i18n/client";
import { type SubmitEvent, useId, useState } from "react";
import { type AccessReason, checkAccessReason } from "@/lib/access/reasons";
import { reasonProblems } from "./reason-fields";
import { ReasonFields } from "./reason-fields";
import { useAccessReasons } from "./reasons-context";
import { buttonClass } from "@/components/ui/button";
import { alertClass } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";

const BUTTON = buttonClass("inherit");
const PRIMARY = buttonClass("primary");

/**
 * The one reason-for-access prompt of the browser: a modal <dialog> (focus moves into it, stays there, Escape
 * closes it and focus returns to the button that opened it), titled and described, with the reason fields.
 * `onSubmit` does the access; a problem it reports (e.g. the server's) is shown inside and announced.
 */
export function ReasonDialog({
  open,
  title,
  description,
  submitLabel,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  description: string;
  submitLabel: string;
  /** Resolves to null when done (the dialog closes), or to the problem to show. */
  onSubmit: (reason: AccessReason) => Promise<string | null>;
  onClose: () => void;
}) {
  const t = useT();
  const reasons = useAccessReasons();
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Cancelling forgets the last problem, so the next prompt opens clean.
  const close = () => {
    setProblem(null);
    onClose();
  };

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const check = checkAccessReason({ reason: data.get("reason") ?? undefined, ticket: data.get("ticket") ?? undefined }, reasons);
    if (!check.ok) {
      setProblem(reasonProblems(t, check.problems, reasons));
      return;
    }
    setBusy(true);
    setProblem(null);
    const result = await onSubmit(check.reason).catch(() => t("reveal.unreachable"));
    setBusy(false);
    if (result) setProblem(result);
  }

  return (
    <Dialog open={open} onCancel={close} labelledBy={`${id}-title`} describedBy={`${id}-desc`}>
      {open && (
        <form onSubmit={(e) => void submit(e)} noValidate className="flex flex-col gap-4 p-4">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            {title}
          </h2>
          <p id={`${id}-desc`} className="text-sm text-muted">
            {t("reveal.recorded", { description })}
          </p>
          <ReasonFields idPrefix={id} reasons={reasons} invalid={problem !== null} autoFocus />
          <div role="alert" className={`${alertClass("error", false)} empty:hidden`}>
            {problem}
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={BUTTON} onClick={close} disabled={busy}>
              {t("reveal.cancel")}
            </button>
            <button type="submit" className={PRIMARY} disabled={busy}>
              {busy ? t("reveal.working") : submitLabel}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
