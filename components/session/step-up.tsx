"use client";

import { type ReactNode, useCallback, useRef, useState } from "react";
import { lazyDialog } from "@/components/ui/lazy";
import { messageOf } from "./step-up-answer";

type Pending = { resolve: (confirmed: boolean) => void };

// The prompt's script loads when the server first asks for a step-up: that answer came over the network just now.
const StepUpDialog = lazyDialog(
  () => import("./step-up-dialog").then((m) => m.StepUpDialog),
  (props) => props.onDone(false),
);

/** Whether an answer is the server asking for a fresh proof of identity before a sensitive action. */
async function needsStepUp(res: Response): Promise<boolean> {
  if (res.status !== 403) return false;
  return (await messageOf(res.clone())).code === "step_up_required";
}

/**
 * Step-up for sensitive actions. `guarded(send)` sends; when the server answers that the last sign-in is too old, it
 * asks for the password (or a fresh single sign-on) in a dialog and, once confirmed, sends again.
 */
export function useStepUp(): { guarded: (send: () => Promise<Response>) => Promise<Response>; dialog: ReactNode } {
  const pending = useRef<Pending | null>(null);
  const [open, setOpen] = useState(false);

  const ask = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        pending.current = { resolve };
        setOpen(true);
      }),
    [],
  );
  const finish = useCallback((confirmed: boolean) => {
    pending.current?.resolve(confirmed);
    pending.current = null;
    setOpen(false);
  }, []);

  const guarded = useCallback(
    async (send: () => Promise<Response>) => {
      const first = await send();
      if (!(await needsStepUp(first))) return first;
      return (await ask()) ? send() : first;
    },
    [ask],
  );

  return { guarded, dialog: <StepUpDialog open={open} onDone={finish} /> };
}
