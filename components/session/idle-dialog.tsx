"use client";

import { useRef } from "react";
import { signOut } from "@/components/shell/sign-out-button";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

/** Time left in the reader's language: `2 min 5 s` / `2 Min. 5 s`, `45 seconds` / `45 Sekunden`. */
function formatLeft(ms: number, t: Translate<Key>): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 60 ? t("session.minSec", { min: Math.floor(s / 60), sec: s % 60 }) : t("session.seconds", { count: s });
}

/** The idle warning itself (components/session/idle-warning.tsx decides when): stay, or sign out now. */
export function IdleDialog({ open, onStay: stay, endsIn }: { open: boolean; onStay: () => void; endsIn: number | null }) {
  const t = useT();
  const stayButton = useRef<HTMLButtonElement>(null);
  return (
    // Escape means "I am here": the same as staying. The safe choice takes focus: Enter keeps the session.
    <Dialog open={open} onCancel={stay} role="alertdialog" labelledBy="idle-title" describedBy="idle-text" size="small" initialFocus={stayButton} padded>
      <h2 id="idle-title" className="text-lg font-semibold">
        {t("session.stillThere")}
      </h2>
      <p id="idle-text" className="mt-2 text-sm">
        {t("session.why")}
      </p>
      <p className="mt-2 text-sm font-medium">{t("session.signingOutIn", { left: endsIn !== null ? formatLeft(endsIn, t) : t("session.aMoment") })}</p>
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" onClick={() => void signOut().finally(() => window.location.assign("/login"))} className={buttonClass()}>
          {t("shell.signOut")}
        </button>
        <button ref={stayButton} type="button" onClick={stay} className={buttonClass("primary")}>
          {t("session.stay")}
        </button>
      </div>
    </Dialog>
  );
}
