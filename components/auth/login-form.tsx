"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type SubmitEvent } from "react";
import { formText } from "@/components/ui/form-text";
import { buttonClass } from "@/components/ui/button";
import { alertClass } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";

// next-auth's error codes this form explains; any other is "Sign-in failed".
const CODES = new Set(["CredentialsSignin", "TooManyAttempts", "NotStaff", "AccessDenied"]);

function errorKey(code: string): Key {
  return `signIn.errors.${CODES.has(code) ? code : "failed"}` as Key;
}

export function LoginForm(props: { callbackPath: string; initialError: string | null; oidcName: string | null }) {
  const router = useRouter();
  const t = useT();
  const describe = (code: string) => t(errorKey(code));
  const [error, setError] = useState(props.initialError ? describe(props.initialError) : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: formText(form, "email"),
      password: formText(form, "password"),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(describe(result?.error ?? ""));
      return;
    }
    router.replace(props.callbackPath);
  }

  return (
    <div className="flex flex-col gap-4">
      <form method="post" onSubmit={(event) => void onSubmit(event)} className="flex flex-col gap-4" noValidate>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("signIn.email")}
          <input name="email" type="email" autoComplete="username" required className="rounded-md border border-control bg-surface px-3 py-2" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("signIn.password")}
          <input name="password" type="password" autoComplete="current-password" required className="rounded-md border border-control bg-surface px-3 py-2" />
        </label>
        {error && (
          <p role="alert" className={alertClass("error")}>
            {error}
          </p>
        )}
        <button type="submit" disabled={pending} className={buttonClass("primary", "large")}>
          {pending ? t("signIn.submitting") : t("signIn.submit")}
        </button>
      </form>
      {props.oidcName && (
        <button
          type="button"
          onClick={() => void signIn("oidc", { callbackUrl: props.callbackPath })}
          className="rounded-md border border-edge px-4 py-2 font-medium"
        >
          {t("signIn.withProvider", { provider: props.oidcName })}
        </button>
      )}
    </div>
  );
}
