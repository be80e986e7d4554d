/**
 * The portal's buttons. `secondary` is the everyday bordered button, `primary` the one action a form exists for,
 * `inherit` takes its colour from a coloured panel (a warning's "Try again"), `small` sits in a table row.
 * Links that look like buttons use `buttonClass` on an `<a>` or `<Link>`.
 */
export type ButtonVariant = "primary" | "secondary" | "inherit";
export type ButtonSize = "small" | "medium" | "large";

const BASE = "inline-flex items-center justify-center gap-1.5 rounded-md font-medium disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:opacity-60";
const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-primary text-white hover:bg-primary-hover",
  secondary: "border border-control hover:bg-hover",
  inherit: "border border-current hover:underline",
};
const SIZES: Record<ButtonSize, string> = {
  small: "px-2 py-0.5 text-xs",
  medium: "px-3 py-1.5 text-sm",
  large: "px-4 py-2",
};

export function buttonClass(variant: ButtonVariant = "secondary", size: ButtonSize = "medium"): string {
  return `${BASE} ${VARIANTS[variant]} ${SIZES[size]}`;
}
