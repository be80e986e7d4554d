"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { lazyDialog } from "@/components/ui/lazy";

type Times = { idleEndsAt: number; endsAt: number; idleMs: number };
type Message = { type: "times"; times: Times } | { type: "ended" };

// The warning's dialog loads apart from the page, but not on demand: it opens when the session check fails too
// (the network down), so its script is fetched as soon as the browser is idle after the first paint.
const IdleDialog = lazyDialog(() => import("./idle-dialog").then((m) => m.IdleDialog));

/** Runs `then` once the browser is idle (Safari has no requestIdleCallback: a second later). */
function whenIdle(then: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const id = window.requestIdleCallback(then, { timeout: 5_000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(then, 1_000);
  return () => window.clearTimeout(id);
}

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

/**
 * Warns a minute before the server's idle timeout ends the session, in every open tab at once. The server's clock
 * is the truth: before warning, the tab asks it (without counting as activity), since another tab or any request
 * may have moved it. "Stay signed in" counts as activity and tells the other tabs.
 */
export function IdleWarning() {
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

  useEffect(() => whenIdle(() => void IdleDialog.preload().catch(() => undefined)), []);

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

  return <IdleDialog open={open} onStay={stay} endsIn={times ? times.idleEndsAt - now : null} />;
}
