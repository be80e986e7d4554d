"use client";

import { useActionState } from "react";
import { resetPasswordAction, setRoleAction, setStatusAction } from "@/app/(portal)/admin/staff/actions";
import { ROLES, type Role } from "@/lib/roles";
import { FormMessage, INPUT, OneTimePassword, SECONDARY } from "./fields";
import { IDLE } from "./form-state";
import { alertClass } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

/** The changes an admin can make to one staff member, each its own form (and its own recorded event). */
export function StaffRowActions({ email, role, disabled }: { email: string; role: Role; disabled: boolean }) {
  const t = useT();
  const [roleState, roleAction, rolePending] = useActionState(setRoleAction, IDLE);
  const [statusState, statusAction, statusPending] = useActionState(setStatusAction, IDLE);
  const [resetState, resetAction, resetPending] = useActionState(resetPasswordAction, IDLE);
  const slug = email.replace(/[^a-z0-9]/gi, "-");
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={roleAction} className="flex items-center gap-1">
          <input type="hidden" name="email" value={email} />
          <label htmlFor={`role-${slug}`} className="sr-only">
            {t("staff.row.roleFor", { email })}
          </label>
          <select id={`role-${slug}`} name="role" defaultValue={role} key={role} className={`${INPUT} py-1`}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`shell.roles.${r}`)}
              </option>
            ))}
          </select>
          <button type="submit" disabled={rolePending} className={SECONDARY}>
            {t("staff.row.changeRole")}
            <span className="sr-only">{t("staff.row.of", { email })}</span>
          </button>
        </form>
        <form action={statusAction}>
          <input type="hidden" name="email" value={email} />
          <input type="hidden" name="op" value={disabled ? "enable" : "disable"} />
          <button type="submit" disabled={statusPending} className={SECONDARY}>
            {disabled ? t("staff.row.enable") : t("staff.row.disable")}
            <span className="sr-only"> {email}</span>
          </button>
        </form>
        <form action={resetAction} className="flex items-center gap-1">
          <input type="hidden" name="email" value={email} />
          <label htmlFor={`reset-${slug}`} className="sr-only">
            {t("staff.row.newPasswordFor", { email })}
          </label>
          <input
            id={`reset-${slug}`}
            name="password"
            type="password"
            autoComplete="new-password"
            placeholder={t("staff.row.generatePlaceholder")}
            className={`${INPUT} w-28 py-1`}
          />
          <button type="submit" disabled={resetPending} className={SECONDARY}>
            {t("staff.row.resetPassword")}
            <span className="sr-only">{t("staff.row.of", { email })}</span>
          </button>
        </form>
      </div>
      <FormMessage state={roleState} />
      <FormMessage state={statusState} />
      {resetState.status === "error" && resetState.fields.password ? (
        <p role="alert" className={alertClass("error")}>
          {resetState.fields.password}
        </p>
      ) : (
        <FormMessage state={resetState} />
      )}
      {resetState.oneTimePassword && <OneTimePassword value={resetState.oneTimePassword} email={email} />}
    </div>
  );
}
