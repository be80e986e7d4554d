"use client";

import { Component, type ComponentType, lazy, type ReactNode, Suspense, useId, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { buttonClass } from "./button";
import { Dialog } from "./dialog";

/** A part's script that did not arrive (offline, a deploy replaced the chunk): the one error a retry can mend. */
const LOAD_FAILED = "PartLoadError";

/**
 * A part of the page whose script loads when it is first wanted, not with the page (the list page's JavaScript
 * budget, docs/performance.md). `load` runs at most once while it succeeds (a failed load is tried again next time);
 * `preload` starts it early, e.g. when the browser is idle, so the part can show later without the network.
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loading: Promise<ComponentType<P>> | null = null;
  let loaded: ComponentType<P> | null = null;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (err: unknown) => {
        loading = null;
        // React keeps a lazy component's failure for good: the next render gets a fresh one, which loads again.
        Loaded = makeLazy();
        throw Object.assign(new Error("a part of the page did not load", { cause: err }), { name: LOAD_FAILED });
      },
    );
    return loading;
  };
  // Already loaded (preloaded, or opened before): handed to React at once, so the first render does not suspend
  // for a tick and show the part's surroundings (an open, empty panel) without it.
  const makeLazy = () =>
    lazy(() => {
      const ready = loaded;
      if (ready) return { then: (take: (m: { default: ComponentType<P> }) => void) => take({ default: ready }) } as Promise<{ default: ComponentType<P> }>;
      return preload().then((component) => ({ default: component }));
    });
  let Loaded = makeLazy();
  // A Suspense boundary of its own: without one, the first load would suspend the nearest one above (a whole
  // table), hiding the button that has the focus. Nothing shows until the part is there, so nothing flashes.
  function Part(props: P) {
    const Current = Loaded;
    return (
      <Suspense fallback={null}>
        <Current {...props} />
      </Suspense>
    );
  }
  return { Part, preload };
}

/** Draws `fallback` instead of a part whose script did not load; `retry` loads it again. Other errors pass on. */
class WhenNotLoaded extends Component<{ fallback: (retry: () => void) => ReactNode; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (error.name !== LOAD_FAILED) throw error;
    return this.props.fallback(() => this.setState({ error: null }));
  }
}

/** In place of a dialog that could not load: says so, in a dialog of its own, with Try again and Close. */
function NotLoaded({ open, retry, close }: { open: boolean; retry: () => void; close: () => void }) {
  const t = useT();
  const id = useId();
  return (
    <Dialog open={open} onCancel={close} role="alertdialog" labelledBy={`${id}-title`} describedBy={`${id}-text`} size="small" padded>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {t("common.notLoadedTitle")}
      </h2>
      <p id={`${id}-text`} className="mt-2 text-sm">
        {t("common.notLoaded")}
      </p>
      <div className="mt-4 flex gap-2">
        <button type="button" onClick={retry} className={buttonClass("primary")}>
          {t("common.tryAgain")}
        </button>
        <button type="button" onClick={close} className={buttonClass()}>
          {t("common.close")}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * A dialog loaded on its first opening. Once opened it stays mounted, so closing it (and giving focus back) works
 * as for one loaded with the page; the click or key that opened it is kept in `open`, so none is lost. If its script
 * does not arrive, a small dialog says so in its place, with Try again (loads it again, and it opens) and Close
 * (`cancel`: what the dialog's own Cancel does), never the page's error screen in place of the list.
 */
export function lazyDialog<P extends { open: boolean }>(load: () => Promise<ComponentType<P>>, cancel: (props: P) => void) {
  const { Part, preload } = lazyPart(load);
  function LazyDialog(props: P) {
    const [wanted, setWanted] = useState(props.open);
    if (props.open && !wanted) setWanted(true);
    if (!wanted) return null;
    return (
      <WhenNotLoaded fallback={(retry) => <NotLoaded open={props.open} retry={retry} close={() => cancel(props)} />}>
        <Part {...props} />
      </WhenNotLoaded>
    );
  }
  return Object.assign(LazyDialog, { preload });
}
