"use client";

import { useState } from "react";
import { apiMessages, parseContact, type Contact } from "@/lib/customers/answers";

export type { Contact };

/** POSTs to the Reveal handler (recorded as `customer.reveal`); the only way the list gets real contact details. */
export function RevealContact({ id, name, onReveal }: { id: string; name: string; onReveal: (contact: Contact, note: string) => void }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function reveal() {
    setState({ busy: true, error: null });
    try {
      const res = await fetch(`/api/customers/${encodeURIComponent(id)}/contact`, { method: "POST", headers: { accept: "application/json" } });
      const body: unknown = await res.json().catch(() => null);
      const contact = res.ok ? parseContact(body) : null;
      if (!contact) {
        setState({ busy: false, error: `Could not reveal: ${apiMessages(body, res.status).join("; ")}` });
        return;
      }
      setState({ busy: false, error: null });
      onReveal(contact, `Contact details for ${name} revealed.`);
    } catch {
      setState({ busy: false, error: "The portal could not be reached." });
    }
  }
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <button
        type="button"
        onClick={() => void reveal()}
        disabled={state.busy}
        aria-label={`Reveal contact for ${name}`}
        className="rounded border border-slate-400 px-2 py-0.5 text-xs font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-500 dark:hover:bg-slate-800"
      >
        {state.busy ? "Revealing…" : "Reveal"}
      </button>
      {state.error && <span className="text-xs text-red-800 dark:text-red-300">{state.error}</span>}
    </span>
  );
}
