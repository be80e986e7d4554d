"use client";

import { BUTTON } from "./styles";

/** Opens the browser's print dialog; the page's print styles leave only the report. */
export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className={BUTTON}>
      Print
    </button>
  );
}
