import "server-only";

export type Coalescer<T> = {
  /** Joins the in-flight call for `key` or starts one; `signal` lets this caller leave alone. */
  run(key: string, task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
};

type Flight<T> = { promise: Promise<T>; controller: AbortController; callers: number };

/**
 * Identical concurrent requests share one upstream call. The shared call stops only when every
 * caller has left, so one staff member closing a tab never fails another's page.
 */
export function createCoalescer<T>(): Coalescer<T> {
  const flights = new Map<string, Flight<T>>();

  const start = (key: string, task: (signal: AbortSignal) => Promise<T>): Flight<T> => {
    const controller = new AbortController();
    const promise = task(controller.signal).finally(() => {
      if (flights.get(key) === flight) flights.delete(key);
    });
    const flight: Flight<T> = { promise, controller, callers: 0 };
    // Nobody may be left listening when the call fails; that must not surface as unhandled.
    flight.promise.catch(() => undefined);
    flights.set(key, flight);
    return flight;
  };

  return {
    run(key, task, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const flight = flights.get(key) ?? start(key, task);
      flight.callers += 1;
      return new Promise<T>((resolve, reject) => {
        const leave = () => {
          flight.callers -= 1;
          reject(signal?.reason);
          if (flight.callers === 0) {
            if (flights.get(key) === flight) flights.delete(key);
            flight.controller.abort(new DOMException("Every caller left", "AbortError"));
          }
        };
        signal?.addEventListener("abort", leave, { once: true });
        flight.promise.then(
          (value) => {
            signal?.removeEventListener("abort", leave);
            resolve(value);
          },
          (error: unknown) => {
            signal?.removeEventListener("abort", leave);
            reject(error);
          },
        );
      });
    },
  };
}
