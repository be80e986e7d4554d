/**
 * `instanceof` that holds across Next's bundles. Next compiles a module into each chunk that uses it
 * (a page, a route, instrumentation), so one process can hold several copies of an error class; an
 * error made by one copy must still be recognised by another. The symbol registry is process-wide.
 */
export function crossBundleBrand(name: string) {
  const brand = Symbol.for(`devdraft-portal:${name}`);
  return {
    mark(target: object): void {
      Object.defineProperty(target, brand, { value: true });
    },
    has(value: unknown): boolean {
      return typeof value === "object" && value !== null && brand in value;
    },
  };
}
