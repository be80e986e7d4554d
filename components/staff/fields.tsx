import type { FormState } from "./form-state";
import { buttonClass } from "@/components/ui/button";
import { alertClass } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

export { Field } from "@/components/ui/field";

export const INPUT = "rounded-md border border-slate-500 px-3 py-2 text-sm dark:border-slate-400 dark:bg-slate-900";
export const PRIMARY = buttonClass("primary", "large");
export const SECONDARY = buttonClass();

/** The form's outcome: announced politely on success, assertively on an error. */
export function FormMessage({ state }: { state: FormState }) {
  if (state.status === "idle" || !state.message) return null;
  return state.status === "ok" ? (
    <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
      {state.message}
    </p>
  ) : (
    <p role="alert" className={alertClass("error")}>
      {state.message}
    </p>
  );
}

/** A generated password: shown once, here, and kept nowhere. */
export function OneTimePassword({ value, email }: { value: string; email?: string }) {
  const t = useT();
  return (
    <div className="flex flex-col gap-1 rounded-md border border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50">
      <p>{email ? t("staff.oneTimePasswordFor", { email }) : t("staff.oneTimePassword")}</p>
      <code data-testid="one-time-password" className="select-all break-all font-mono text-base">
        {value}
      </code>
    </div>
  );
}
