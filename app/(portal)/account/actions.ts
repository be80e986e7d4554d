"use server";

import type { FormState } from "@/components/staff/form-state";
import { formFailure } from "@/lib/staff/form-failure";
import { changeOwnPassword } from "@/lib/staff/staff-admin";
import { getT } from "@/lib/locale/server";

const text = (form: FormData, key: string): string => {
  const value = form.get(key);
  return typeof value === "string" ? value : "";
};

/** Everyone's own password change (audited as `staff.password_change`; nothing is changed on any error). */
export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const t = await getT();
  try {
    await changeOwnPassword({ current: text(form, "current"), next: text(form, "next"), confirm: text(form, "confirm") });
    return { status: "ok", message: t("account.passwordChanged"), fields: {} };
  } catch (err) {
    return formFailure(t, err);
  }
}
