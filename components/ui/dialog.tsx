"use client";

import { type ReactNode, type RefObject, useEffect, useRef } from "react";

const WIDTHS = { small: "w-[min(24rem,calc(100vw-2rem))]", medium: "w-[min(28rem,calc(100vw-2rem))]", wide: "w-[min(36rem,calc(100vw-2rem))]" } as const;

/** Focus back to what had it before the dialog opened, if it is still on the page. */
function focusBack(el: Element | null) {
  if (el instanceof HTMLElement && el.isConnected) el.focus();
}

/**
 * The portal's one modal: a native <dialog> opened with showModal(), so focus moves in and stays there (the rest
 * of the page is inert) and screen readers announce its title and description. Escape calls `onCancel` (the dialog
 * stays open until `open` turns false); when it closes, focus returns to what had it before, if that is still on
 * the page. `initialFocus` takes focus on opening (else the browser's first focusable element).
 * `role="alertdialog"` for a warning that interrupts (the idle sign-out).
 */
export function Dialog({
  open,
  onCancel,
  labelledBy,
  describedBy,
  role,
  size = "medium",
  placement = "center",
  closeOnBackdrop = false,
  initialFocus,
  padded = false,
  children,
}: {
  open: boolean;
  onCancel: () => void;
  labelledBy: string;
  describedBy?: string;
  role?: "alertdialog";
  size?: keyof typeof WIDTHS;
  /** `top`: a palette, near the top where the eye is. */
  placement?: "center" | "top";
  closeOnBackdrop?: boolean;
  initialFocus?: RefObject<HTMLElement | null>;
  /** Pads the content; without it the content brings its own (a form with its own gaps). */
  padded?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      initialFocus?.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, initialFocus]);

  const restoreFocus = () => focusBack(opener.current);

  // Unmounted while open (a palette closing, or what opened it replaced): close it, so the page is not left inert
  // behind a modal that is no longer there, and give focus back.
  useEffect(() => {
    const dialog = ref.current;
    const back = opener;
    return () => {
      if (!dialog?.open) return;
      dialog.close();
      focusBack(back.current);
    };
  }, []);

  return (
    <dialog
      ref={ref}
      role={role}
      aria-modal={open ? true : undefined}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onClick={(e) => {
        if (closeOnBackdrop && e.target === e.currentTarget) onCancel();
      }}
      onClose={restoreFocus}
      className={`${placement === "top" ? "mx-auto mt-[10vh]" : "m-auto"} ${WIDTHS[size]} rounded-lg border border-edge bg-surface ${padded ? "p-5" : "p-0"} text-fg shadow-xl backdrop:bg-slate-950/60`}
    >
      {children}
    </dialog>
  );
}
