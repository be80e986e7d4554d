"use client";

import { useT } from "@/lib/i18n/client";
import { type SubmitEvent, useEffect, useId, useRef, useState } from "react";
import { type AccessReason, checkAccessReason } from "@/lib/access/reasons";
import { reasonProblems } from "./reason-fields";
import { ReasonFields } from "./reason-fields";
import { useAccessReasons } from "./reasons-context";
import { buttonClass } from "@/components/ui/button";
import { alertClass } from "@/components/ui/alert";

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
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      setProblem(null);
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Unmounted while open (the button that opened it is replaced once the access is done): close it first, so the
  // page is not left behind a modal that is no longer there.
  useEffect(() => {
    const dialog = ref.current;
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);

  const restoreFocus = () => {
    const el = opener.current;
    if (el instanceof HTMLElement && el.isConnected) el.focus();
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
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClose={restoreFocus}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      {open && (
        <form onSubmit={(e) => void submit(e)} noValidate className="flex flex-col gap-4 p-4">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            {title}
          </h2>
          <p id={`${id}-desc`} className="text-sm text-slate-700 dark:text-slate-300">
            {t("reveal.recorded", { description })}
          </p>
          <ReasonFields idPrefix={id} reasons={reasons} invalid={problem !== null} autoFocus />
          <div role="alert" className={`${alertClass("error", false)} empty:hidden`}>
            {problem}
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={BUTTON} onClick={onClose} disabled={busy}>
              {t("reveal.cancel")}
            </button>
            <button type="submit" className={PRIMARY} disabled={busy}>
              {busy ? t("reveal.working") : submitLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
