"use client";

import { useState, type MouseEvent } from "react";
import { alertClass } from "@/components/ui/alert";
import { lazyPart } from "@/components/ui/lazy";
import { PANEL } from "@/components/ui/styles";
import { useT } from "@/lib/i18n/client";

// The form's script loads when the panel is first opened (or about to be: pointer over it, focus on it), not with
// the list: most visits never open it.
const { Part: LazyColumnsForm, preload } = lazyPart(() => import("./columns-form").then((m) => m.ColumnsForm));

/**
 * "Columns" beside the table, a disclosure that opens the form (columns-form.tsx). On the first opening it stays
 * shut until the form has loaded, then opens with it: the click or key is not lost, and no empty panel flashes.
 * Once loaded the form stays mounted, so a draft survives closing and opening it again.
 */
export function ColumnsControl() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const warm = () => void preload().catch(() => undefined);
  const first = (event: MouseEvent) => {
    if (loaded) return;
    event.preventDefault();
    void preload().then(
      () => {
        setFailed(false);
        setLoaded(true);
        setOpen(true);
      },
      () => setFailed(true),
    );
  };
  return (
    <>
      <details className={`${PANEL} text-sm`} open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className="cursor-pointer font-medium" onClick={first} onPointerEnter={warm} onFocus={warm}>
          {t("columns.control")}
        </summary>
        {loaded && <LazyColumnsForm />}
      </details>
      {failed && (
        <p role="alert" className={alertClass("error", false)}>
          {t("columns.notLoaded")}
        </p>
      )}
    </>
  );
}
