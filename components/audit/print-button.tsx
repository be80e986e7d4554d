"use client";

import { BUTTON } from "./styles";

/** Opens the browser's print dialog; the page's print styles leave only the report. */
export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={BUTTON}>
      {label}
    </button>
  );
}
