"use client";

import { useActionState } from "react";
import { useT } from "@/lib/i18n/client";
import { changePasswordAction } from "@/app/(portal)/account/actions";
import { Field, FormMessage, INPUT, PRIMARY } from "@/components/staff/fields";
import { IDLE } from "@/components/staff/form-state";

export function PasswordForm() {
  const t = useT();
  const [state, action, pending] = useActionState(changePasswordAction, IDLE);
  return (
    <section aria-labelledby="password-heading" className="flex max-w-md flex-col gap-3 rounded-md border border-edge p-4">
      <h2 id="password-heading" className="text-lg font-semibold">
        {t("account.passwordTitle")}
      </h2>
      <form action={action} className="flex flex-col gap-3" noValidate>
        {/* For password managers: whose password this is. */}
        <Field id="pw-current" label={t("account.currentPassword")} error={state.fields.current}>
          {(describedBy, invalid) => (
            <input
              id="pw-current"
              name="current"
              type="password"
              autoComplete="current-password"
              required
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className={INPUT}
            />
          )}
        </Field>
        <Field id="pw-next" label={t("account.newPassword")} error={state.fields.next} hint={t("account.passwordHint")}>
          {(describedBy, invalid) => (
            <input
              id="pw-next"
              name="next"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className={INPUT}
            />
          )}
        </Field>
        <Field id="pw-confirm" label={t("account.repeatPassword")} error={state.fields.confirm}>
          {(describedBy, invalid) => (
            <input
              id="pw-confirm"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className={INPUT}
            />
          )}
        </Field>
        <div>
          <button type="submit" disabled={pending} className={PRIMARY}>
            {pending ? t("account.changing") : t("account.changePassword")}
          </button>
        </div>
      </form>
      <FormMessage state={state} />
    </section>
  );
}
