"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { signOut } from "@/components/shell/sign-out-button";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

type Times = { idleEndsAt: number; endsAt: number; idleMs: number };
type Message = { type: "times"; times: Times } | { type: "ended" };

const WARN_MS = 60_000;
const CHANNEL = "portal-session";

async function fetchTimes(init?: RequestInit): Promise<Times | null> {
  const res = await fetch(init ? "/api/session/keepalive" : "/api/session", { cache: "no-store", ...init });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`session check answered ${res.status}`);
  return (await res.json()) as Times;
}

/** To the sign-in page, which brings the person back to where they were (the login page keeps only same-origin paths). */
function leave(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/login?ended=idle&callbackUrl=${encodeURIComponent(here)}`);
}

/** Time left in the reader's language: `2 min 5 s` / `2 Min. 5 s`, `45 seconds` / `45 Sekunden`. */
function formatLeft(ms: number, t: Translate<Key>): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 60 ? t("session.minSec", { min: Math.floor(s / 60), sec: s % 60 }) : t("session.seconds", { count: s });
}

/**
 * Warns a minute before the server's idle timeout ends the session, in every open tab at once. The server's clock
 * is the truth: before warning, the tab asks it (without counting as activity), since another tab or any request
 * may have moved it. "Stay signed in" counts as activity and tells the other tabs.
 */
export function IdleWarning() {
  const t = useT();
  const stayButton = useRef<HTMLButtonElement>(null);
  const channel = useRef<BroadcastChannel | null>(null);
  const [times, setTimes] = useState<Times | null>(null);
  const [open, setOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  const adopt = useCallback((next: Times | null, tell: boolean) => {
    if (!next) {
      if (tell) channel.current?.postMessage({ type: "ended" } satisfies Message);
      leave();
      return;
    }
    setTimes(next);
    if (tell) channel.current?.postMessage({ type: "times", times: next } satisfies Message);
  }, []);

  useEffect(() => {
    const bc = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(CHANNEL);
    channel.current = bc;
    if (bc) {
      bc.onmessage = (e: MessageEvent<Message>) => {
        const message = e.data;
        if (message.type === "ended") leave();
        else setTimes(message.times);
      };
    }
    void fetchTimes().then(
      (t) => adopt(t, false),
      () => undefined,
    );
    const recheck = () => {
      if (document.visibilityState === "visible")
        void fetchTimes().then(
          (t) => adopt(t, false),
          () => undefined,
        );
    };
    document.addEventListener("visibilitychange", recheck);
    return () => {
      document.removeEventListener("visibilitychange", recheck);
      bc?.close();
    };
  }, [adopt]);

  // Sleep until a minute before the end, then ask the server whether that is still the end.
  useEffect(() => {
    if (!times) return;
    const warnAt = times.idleEndsAt - WARN_MS;
    const timer = window.setTimeout(
      () => {
        void fetchTimes().then(
          (fresh) => {
            if (!fresh) {
              adopt(null, true);
              return;
            }
            setTimes(fresh);
            if (fresh.idleEndsAt - Date.now() <= WARN_MS) setOpen(true);
          },
          () => setOpen(true),
        );
      },
      Math.max(0, warnAt - Date.now()),
    );
    return () => window.clearTimeout(timer);
  }, [times, adopt]);

  // While warning: a countdown, and at the end the server's word on whether the session is over.
  useEffect(() => {
    if (!open || !times) return;
    // The countdown starts from the real clock when the warning opens (an external system), not from a stale render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNow(Date.now());
    if (times.idleEndsAt - Date.now() > WARN_MS) {
      setOpen(false);
      return;
    }
    const tick = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= times.idleEndsAt) {
        window.clearInterval(tick);
        void fetchTimes().then(
          (t) => adopt(t, !t),
          () => leave(),
        );
      }
    }, 1000);
    return () => window.clearInterval(tick);
  }, [open, times, adopt]);

  const stay = () => {
    void fetchTimes({ method: "POST" }).then(
      (t) => {
        setOpen(false);
        adopt(t, true);
      },
      () => undefined,
    );
  };

  return (
    // Escape means "I am here": the same as staying. The safe choice takes focus: Enter keeps the session.
    <Dialog open={open} onCancel={stay} role="alertdialog" labelledBy="idle-title" describedBy="idle-text" size="small" initialFocus={stayButton} padded>
      <h2 id="idle-title" className="text-lg font-semibold">
        {t("session.stillThere")}
      </h2>
      <p id="idle-text" className="mt-2 text-sm">
        {t("session.why")}
      </p>
      <p className="mt-2 text-sm font-medium">{t("session.signingOutIn", { left: times ? formatLeft(times.idleEndsAt - now, t) : t("session.aMoment") })}</p>
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" onClick={() => void signOut().finally(() => window.location.assign("/login"))} className={buttonClass()}>
          {t("shell.signOut")}
        </button>
        <button ref={stayButton} type="button" onClick={stay} className={buttonClass("primary")}>
          {t("session.stay")}
        </button>
      </div>
    </Dialog>
  );
}
