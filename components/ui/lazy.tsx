"use client";

import { type ComponentType, lazy, Suspense, useState } from "react";

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
        throw err;
      },
    );
    return loading;
  };
  // Already loaded (preloaded, or opened before): handed to React at once, so the first render does not suspend
  // for a tick and show the part's surroundings (an open, empty panel) without it.
  const Loaded = lazy(() => {
    const ready = loaded;
    if (ready) return { then: (take: (m: { default: ComponentType<P> }) => void) => take({ default: ready }) } as Promise<{ default: ComponentType<P> }>;
    return preload().then((component) => ({ default: component }));
  });
  // A Suspense boundary of its own: without one, the first load would suspend the nearest one above (a whole
  // table), hiding the button that has the focus. Nothing shows until the part is there, so nothing flashes.
  function Part(props: P) {
    return (
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  return { Part, preload };
}

/**
 * A dialog loaded on its first opening. Once opened it stays mounted, so closing it (and giving focus back) works
 * as for one loaded with the page; the click or key that opened it is kept in `open`, so none is lost.
 */
export function lazyDialog<P extends { open: boolean }>(load: () => Promise<ComponentType<P>>) {
  const { Part, preload } = lazyPart(load);
  function LazyDialog(props: P) {
    const [wanted, setWanted] = useState(props.open);
    if (props.open && !wanted) setWanted(true);
    return wanted ? <Part {...props} /> : null;
  }
  return Object.assign(LazyDialog, { preload });
}
