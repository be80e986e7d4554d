"use client";

import { useActionState, useState } from "react";
import { addStaffAction } from "@/app/(portal)/admin/staff/actions";
import { ROLES } from "@/lib/roles";
import { Field, FormMessage, INPUT, OneTimePassword, PRIMARY } from "./fields";
import { IDLE } from "./form-state";
import { useT } from "@/lib/i18n/client";

const CHOICES = ["generate", "set", "none"] as const;

export function AddStaffForm() {
  const t = useT();
  const [state, action, pending] = useActionState(addStaffAction, IDLE);
  const [choice, setChoice] = useState<string>("generate");
  const v = state.values ?? {};
  return (
    <section aria-labelledby="add-staff-heading" className="flex flex-col gap-3 rounded-md border border-edge p-4">
      <h2 id="add-staff-heading" className="text-lg font-semibold">
        {t("staff.add.title")}
      </h2>
      {/* key: a refused form is drawn again with what was typed (React resets a form after its action). */}
      <form key={JSON.stringify(v)} action={action} className="grid gap-3 sm:grid-cols-3" noValidate>
        <Field id="add-email" label={t("staff.add.email")} error={state.fields.email}>
          {(describedBy, invalid) => (
            <input
              id="add-email"
              name="email"
              type="email"
              autoComplete="off"
              required
              defaultValue={v.email}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className={INPUT}
            />
          )}
        </Field>
        <Field id="add-name" label={t("staff.add.name")} error={state.fields.name} hint={t("staff.add.nameHint")}>
          {(describedBy, invalid) => (
            <input
              id="add-name"
              name="name"
              type="text"
              autoComplete="off"
              defaultValue={v.name}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className={INPUT}
            />
          )}
        </Field>
        <Field id="add-role" label={t("staff.add.role")} error={state.fields.role}>
          {(describedBy, invalid) => (
            <select id="add-role" name="role" defaultValue={v.role || "agent"} aria-describedby={describedBy} aria-invalid={invalid} className={INPUT}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`shell.roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="flex flex-col gap-1 text-sm sm:col-span-3" aria-describedby={state.fields.password_choice ? "add-choice-error" : undefined}>
          <legend className="mb-1 font-medium">{t("staff.add.initialPassword")}</legend>
          {CHOICES.map((c) => (
            <label key={c} className="flex items-center gap-2">
              <input type="radio" name="password_choice" value={c} checked={choice === c} onChange={() => setChoice(c)} />
              {t(`staff.add.${c}`)}
            </label>
          ))}
          {state.fields.password_choice && (
            <p id="add-choice-error" className="text-sm text-danger">
              {state.fields.password_choice}
            </p>
          )}
        </fieldset>
        {choice === "set" && (
          <Field id="add-password" label={t("staff.add.password")} error={state.fields.password} hint={t("staff.add.passwordHint")}>
            {(describedBy, invalid) => (
              <input
                id="add-password"
                name="password"
                type="password"
                autoComplete="new-password"
                aria-describedby={describedBy}
                aria-invalid={invalid}
                className={INPUT}
              />
            )}
          </Field>
        )}
        <div className="flex items-end sm:col-span-3">
          <button type="submit" disabled={pending} className={PRIMARY}>
            {pending ? t("staff.add.adding") : t("staff.add.submit")}
          </button>
        </div>
      </form>
      <FormMessage state={state} />
      {state.oneTimePassword && <OneTimePassword value={state.oneTimePassword} />}
    </section>
  );
}
