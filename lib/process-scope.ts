/**
 * The portal's process-wide state, and the one place it is kept on globalThis. Next compiles a module into every
 * bundle that imports it (each route, each page, instrumentation) and evaluates modules again on a dev reload, so a
 * module-level variable would hold one store pool, one audit recorder, one budget per bundle. Each module asks for its
 * own named slot here and gets the same object in every bundle. scripts/server.mjs (plain JavaScript, outside the
 * bundles) shares the `http` and `lifecycle` slots through the same symbol.
 */
const KEY = Symbol.for("devdraft-portal:process");

type Holder = typeof globalThis & { [KEY]?: Map<string, unknown> };

/** The process's one `T` named `name`, made by `init` on first use (in whichever bundle asks first). */
export function processScope<T extends object>(name: string, init: () => T): T {
  const holder = globalThis as Holder;
  const all = (holder[KEY] ??= new Map<string, unknown>());
  let value = all.get(name) as T | undefined;
  if (value === undefined) {
    value = init();
    all.set(name, value);
  }
  return value;
}
