"use client";

import { useActionState } from "react";
import { useT } from "@/lib/i18n/client";
import { changePasswordAction } from "@/app/(portal)/account/actions";
import { Field, FormMessage, INPUT, PRIMARY } from "@/components/staff/fields";
import { IDLE } from "@/components/staff/form-state";

/** One of the form's three password inputs, labelled, with its hint and its refusal tied to it. */
function PasswordField(props: { name: string; label: string; error?: string; hint?: string; autoComplete: "current-password" | "new-password" }) {
  const id = `pw-${props.name}`;
  return (
    <Field id={id} label={props.label} error={props.error} hint={props.hint}>
      {(describedBy, invalid) => (
        <input
          id={id}
          name={props.name}
          type="password"
          autoComplete={props.autoComplete}
          required
          aria-describedby={describedBy}
          aria-invalid={invalid}
          className={INPUT}
        />
      )}
    </Field>
  );
}

export function PasswordForm() {
  const t = useT();
  const [state, action, pending] = useActionState(changePasswordAction, IDLE);
  return (
    <section aria-labelledby="password-heading" className="flex max-w-md flex-col gap-3 rounded-md border border-edge p-4">
      <h2 id="password-heading" className="text-lg font-semibold">
        {t("account.passwordTitle")}
      </h2>
      <form action={action} className="flex flex-col gap-3" noValidate>
        <PasswordField name="current" label={t("account.currentPassword")} error={state.fields.current} autoComplete="current-password" />
        <PasswordField name="next" label={t("account.newPassword")} error={state.fields.next} hint={t("account.passwordHint")} autoComplete="new-password" />
        <PasswordField name="confirm" label={t("account.repeatPassword")} error={state.fields.confirm} autoComplete="new-password" />
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
