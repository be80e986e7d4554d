"use server";

import { revalidatePath } from "next/cache";
import type { FormState } from "@/components/staff/form-state";
import { ChangeRefused } from "@/lib/access/outcome";
import { isRole } from "@/lib/roles";
import { type AdminStaffChange, changeStaff, generatePassword } from "@/lib/staff/staff-admin";
import { formFailure } from "@/lib/staff/form-failure";
import { getT } from "@/lib/locale/server";

// The staff page's changes. Each goes through changeStaff (the audited gate, admins only, recorded once with the
// state before and after) and applyStaffChange (the CLI's path too). A cross-site POST never gets here (proxy.ts).

const text = (form: FormData, key: string): string => {
  const value = form.get(key);
  return typeof value === "string" ? value : "";
};

/** A role as the reader's language names it. */
async function roleName(role: string): Promise<string> {
  return isRole(role) ? (await getT())(`shell.roles.${role}`) : role;
}

const PASSWORD_CHOICES = ["generate", "set", "none"] as const;
type PasswordChoice = (typeof PASSWORD_CHOICES)[number];
const isChoice = (v: string): v is PasswordChoice => (PASSWORD_CHOICES as readonly string[]).includes(v);

export async function addStaffAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const name = text(form, "name").trim();
  const role = text(form, "role");
  const choice = text(form, "password_choice");
  const values = { email, name, role, password_choice: choice };
  const generated = choice === "generate" ? generatePassword() : undefined;
  const password = choice === "set" ? text(form, "password") : generated;
  const asked: AdminStaffChange | ChangeRefused = !isRole(role)
    ? new ChangeRefused("invalid", "not a role", { role: { key: "staff.refusals.chooseRole" } })
    : !isChoice(choice)
      ? new ChangeRefused("invalid", "no password choice", { password_choice: { key: "staff.refusals.choosePassword" } })
      : { kind: "add", email, name: name || undefined, role, password };
  try {
    const done = await changeStaff("add", asked, isChoice(choice) ? (choice === "generate" ? "generated" : choice) : null);
    revalidatePath("/admin/staff");
    return {
      status: "ok",
      message: (await getT())("staff.add.added", { email: done.email, role: await roleName(role) }),
      fields: {},
      ...(generated ? { oneTimePassword: generated } : {}),
    };
  } catch (err) {
    return formFailure(await getT(), err, values);
  }
}

export async function setRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const role = text(form, "role");
  const asked = isRole(role)
    ? ({ kind: "set-role", email, role } as const)
    : new ChangeRefused("invalid", "not a role", { role: { key: "staff.refusals.chooseRole" } });
  try {
    const done = await changeStaff("set-role", asked);
    revalidatePath("/admin/staff");
    return { status: "ok", message: (await getT())("staff.row.roleChanged", { email: done.email, role: await roleName(role) }), fields: {} };
  } catch (err) {
    return formFailure(await getT(), err);
  }
}

export async function setStatusAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const op = text(form, "op");
  if (op !== "disable" && op !== "enable") return { status: "error", message: (await getT())("staff.refusals.chooseStatus"), fields: {} };
  try {
    const done = await changeStaff(op, { kind: op, email });
    revalidatePath("/admin/staff");
    return {
      status: "ok",
      message: (await getT())(op === "disable" ? "staff.row.disabledDone" : "staff.row.enabledDone", { email: done.email }),
      fields: {},
    };
  } catch (err) {
    return formFailure(await getT(), err);
  }
}

/** Sets the password typed, or generates a one-time one when none is. */
export async function resetPasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const typed = text(form, "password");
  const generated = typed ? undefined : generatePassword();
  try {
    const done = await changeStaff("reset-password", { kind: "reset-password", email, password: typed || (generated ?? "") }, generated ? "generated" : "set");
    revalidatePath("/admin/staff");
    return {
      status: "ok",
      message: (await getT())("staff.row.passwordSet", { email: done.email }),
      fields: {},
      ...(generated ? { oneTimePassword: generated } : {}),
    };
  } catch (err) {
    return formFailure(await getT(), err);
  }
}
