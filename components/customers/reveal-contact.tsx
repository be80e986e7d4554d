"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { useStepUp } from "@/components/session/step-up";
import { lazyDialog } from "@/components/ui/lazy";
import type { AccessReason } from "@/lib/access/reasons";
import { isReasonRequiredBody } from "@/lib/access/reason-required";
import { apiMessages, parseContact, type Contact } from "@/lib/customers/answers";

export type { Contact };

// The reason prompt, its script (with its fields and checks) loaded on the first Reveal rather than with the list:
// every row has a Reveal button and few are pressed.
const ReasonDialog = lazyDialog(
  () => import("@/components/access/reason-dialog").then((m) => m.ReasonDialog),
  (props) => props.onClose(),
);

/**
 * Asks for a reason for access, then POSTs it to the Reveal handler (recorded as `customer.reveal` with the reason
 * as its purpose); the only way the list gets real contact details.
 */
export function RevealContact({ id, name, onReveal }: { id: string; name: string; onReveal: (contact: Contact, note: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const { guarded, dialog } = useStepUp();

  async function reveal(reason: AccessReason): Promise<string | null> {
    const res = await guarded(() =>
      fetch(`/api/customers/${encodeURIComponent(id)}/contact`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify(reason),
      }),
    );
    const body: unknown = await res.json().catch(() => null);
    const contact = res.ok ? parseContact(body) : null;
    if (!contact) {
      const messages = isReasonRequiredBody(body) ? body.message : apiMessages(body, res.status);
      return t("reveal.failed", { reason: messages.join("; ") });
    }
    setOpen(false);
    onReveal(contact, t("reveal.done", { name }));
    return null;
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        aria-label={t("reveal.buttonFor", { name })}
        className="rounded border border-control px-2 py-0.5 text-xs font-medium hover:bg-hover"
      >
        {t("reveal.button")}
      </button>
      <ReasonDialog
        open={open}
        title={t("reveal.buttonFor", { name })}
        description={t("reveal.why")}
        submitLabel={t("reveal.submit")}
        onSubmit={reveal}
        onClose={() => setOpen(false)}
      />
      {dialog}
    </>
  );
}
