import type { ReactNode } from "react";

export { ROW, TH } from "./styles";
/** A cell at the top of its row (the audit's multi-line details). */
export const TD = "px-3 py-2 align-top";

/**
 * A data table in its frame: scrolls sideways on a narrow screen rather than squeezing, and its caption names it
 * for screen readers. With `label` the frame is a focusable region, so a keyboard can scroll it.
 */
export function Table({
  caption,
  label,
  describedBy,
  className = "",
  frameClassName = "",
  tableRef,
  busy,
  children,
}: {
  caption: string;
  label?: string;
  describedBy?: string;
  className?: string;
  frameClassName?: string;
  tableRef?: React.Ref<HTMLTableElement>;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      {...(label ? { role: "region", "aria-label": label, "aria-describedby": describedBy, tabIndex: 0 } : {})}
      className={`overflow-x-auto rounded-md border border-line print:overflow-visible print:border-0 ${frameClassName}`.trim()}
    >
      <table ref={tableRef} aria-busy={busy} className={`w-full border-collapse text-start text-sm ${className}`.trim()}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
