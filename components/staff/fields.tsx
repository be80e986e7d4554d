import type { ReactNode } from "react";
import type { FormState } from "./form-state";
import { buttonClass } from "@/components/ui/button";
import { alertClass } from "@/components/ui/alert";
import { useT } from "@/lib/i18n/client";

export const INPUT = "rounded-md border border-slate-500 px-3 py-2 text-sm dark:border-slate-400 dark:bg-slate-900";
export const PRIMARY = buttonClass("primary", "large");
export const SECONDARY = buttonClass();

/** A labelled control with its error below it, tied to it by aria-describedby. */
export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={props.id} className="font-medium">
        {props.label}
      </label>
      {props.children(describedBy, Boolean(props.error))}
      {props.hint && (
        <p id={hintId} className="text-xs text-slate-700 dark:text-slate-300">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {props.error}
        </p>
      )}
    </div>
  );
}

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
