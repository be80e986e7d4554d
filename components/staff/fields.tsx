import type { FormState } from "./form-state";
import { buttonClass } from "@/components/ui/button";
import { alertClass } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

export { Field } from "@/components/ui/field";

export const INPUT = "rounded-md border border-control bg-surface px-3 py-2 text-sm";
export const PRIMARY = buttonClass("primary", "large");
export const SECONDARY = buttonClass();

/** The form's outcome: announced politely on success, assertively on an error. */
export function FormMessage({ state }: { state: FormState }) {
  if (state.status === "idle" || !state.message) return null;
  return state.status === "ok" ? (
    <p role="status" className="rounded-md bg-success-bg px-3 py-2 text-sm text-success-ink">
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
    <div className="flex flex-col gap-1 rounded-md border border-warning-edge bg-warning-bg px-3 py-2 text-sm text-warning-ink">
      <p>{email ? t("staff.oneTimePasswordFor", { email }) : t("staff.oneTimePassword")}</p>
      <code data-testid="one-time-password" className="select-all break-all font-mono text-base">
        {value}
      </code>
    </div>
  );
}
