"use server";

import type { FormState } from "@/components/staff/form-state";
import { formFailure } from "@/lib/staff/form-failure";
import { changeOwnPassword } from "@/lib/staff/staff-admin";
import { getT } from "@/lib/i18n/server";
import type { Key } from "@/lib/i18n/keys";
import { ChangeRefused } from "@/lib/access/outcome";

const text = (form: FormData, key: string): string => {
  const value = form.get(key);
  return typeof value === "string" ? value : "";
};

/** Everyone's own password change (audited as `staff.password_change`; nothing is changed on any error). */
export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  try {
    await changeOwnPassword({ current: text(form, "current"), next: text(form, "next"), confirm: text(form, "confirm") });
    return { status: "ok", message: (await getT())("account.passwordChanged"), fields: {} };
  } catch (err) {
    if (!(err instanceof ChangeRefused) || Object.keys(err.codes).length === 0) return formFailure(err);
    // The account service names each refusal by a code; the person reads it in their language.
    const t = await getT();
    const fields = Object.fromEntries(Object.entries(err.codes).map(([field, { code, vars }]) => [field, t(`password.refusals.${code}` as Key, vars)]));
    return { status: "error", message: t("password.form"), fields };
  }
}
