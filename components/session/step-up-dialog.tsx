"use client";

import { type SubmitEvent, useEffect, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/field";
import { useT } from "@/lib/i18n/client";
import { messageOf } from "./step-up-answer";

/** The step-up prompt itself: loaded on first use (components/ui/lazy.tsx), since most sessions never see it. */
export function StepUpDialog({ open, onDone: done }: { open: boolean; onDone: (confirmed: boolean) => void }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [provider, setProvider] = useState<string | null>(null);
  // Closing forgets the last refusal, so the next prompt opens clean.
  const onDone = (confirmed: boolean) => {
    setError(null);
    done(confirmed);
  };

  useEffect(() => {
    if (open) {
      void fetch("/api/session", { cache: "no-store" })
        .then((r) => (r.ok ? (r.json() as Promise<{ provider: string }>) : null))
        .then(
          (t) => setProvider(t?.provider ?? null),
          () => undefined,
        );
    }
  }, [open]);

  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const password = new FormData(form).get("password");
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/session/step-up", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ password }) });
      if (res.ok) {
        form.reset();
        onDone(true);
        return;
      }
      if (res.status === 401) {
        window.location.assign("/login");
        return;
      }
      const { message, code } = await messageOf(res);
      if (code === "sso_only") setProvider("oidc");
      setError(message);
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };

  // A fresh sign-in at the identity provider, forced (prompt=login, max_age=0), back to this page.
  const viaSso = async () => {
    const { signIn } = await import("next-auth/react");
    await signIn("oidc", { callbackUrl: window.location.href }, { prompt: "login", max_age: "0" });
  };

  return (
    <Dialog open={open} onCancel={() => onDone(false)} labelledBy="step-up-title" describedBy="step-up-text" size="small" initialFocus={input} padded>
      <h2 id="step-up-title" className="text-lg font-semibold">
        {t("session.stepUpTitle")}
      </h2>
      <p id="step-up-text" className="mt-2 text-sm">
        {t("session.stepUpWhy")}
      </p>
      {provider === "oidc" ? (
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" onClick={() => onDone(false)} className={buttonClass()}>
            {t("reveal.cancel")}
          </button>
          <button type="button" onClick={() => void viaSso()} className={buttonClass("primary")}>
            {t("session.viaSso")}
          </button>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="mt-3 flex flex-col gap-2">
          <label htmlFor="step-up-password" className="text-sm font-medium">
            {t("session.password")}
          </label>
          <Input
            ref={input}
            id="step-up-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "step-up-error" : undefined}
          />
          {error && (
            <p id="step-up-error" role="alert" className="text-sm text-danger">
              {error}
            </p>
          )}
          <div className="mt-2 flex justify-end gap-2">
            <button type="button" onClick={() => onDone(false)} className={buttonClass()}>
              {t("reveal.cancel")}
            </button>
            <button type="submit" disabled={busy} className={buttonClass("primary")}>
              {busy ? t("session.checking") : t("session.confirm")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
