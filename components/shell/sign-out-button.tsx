"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n/client";

// next-auth's own sign-out (its CSRF token, then a POST), without shipping next-auth/react to every page.
export async function signOut(): Promise<void> {
  const body: unknown = await (await fetch("/api/auth/csrf", { cache: "no-store" })).json();
  const csrfToken = body && typeof body === "object" && "csrfToken" in body && typeof body.csrfToken === "string" ? body.csrfToken : "";
  await fetch("/api/auth/signout", {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login" }),
  });
}

export function SignOutButton() {
  const t = useT();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut().finally(() => window.location.assign("/login"));
      }}
      className="rounded-md border border-edge px-3 py-1"
    >
      {pending ? t("shell.signingOut") : t("shell.signOut")}
    </button>
  );
}
