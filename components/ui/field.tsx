import type { ComponentProps, ReactNode } from "react";
import { INPUT } from "./styles";

/**
 * A labelled control with its hint and error below it, both tied to it by aria-describedby. The control is drawn
 * by `children`, which gets the ids to describe it by and whether it is invalid:
 *   <Field id="email" label="Email" error={problem}>{(describedBy, invalid) => <Input id="email" aria-describedby={describedBy} aria-invalid={invalid} />}</Field>
 */
export function Field(props: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
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
        <p id={hintId} className="text-xs text-muted">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="text-sm text-danger">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The portal's text input: every attribute of <input>, the kit's look. */
export function Input({ className = "", ...props }: ComponentProps<"input">) {
  return <input {...props} className={`${INPUT} ${className}`.trim()} />;
}

/** The portal's select: every attribute of <select>, the kit's look, `options` as value/label pairs or children. */
export function Select({
  className = "",
  options,
  children,
  ...props
}: ComponentProps<"select"> & { options?: readonly { value: string | number; label: ReactNode }[] }) {
  return (
    <select {...props} className={`${INPUT} w-auto ${className}`.trim()}>
      {options?.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {children}
    </select>
  );
}
