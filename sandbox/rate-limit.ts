const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets, at least 1. */
  resetSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

/** Fixed 60-second windows per client key, opened by the key's first request. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: () => number = Date.now) {}

  take(key: string, limit: number): RateDecision {
    const now = this.clock();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    if (window.count >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    window.count += 1;
    return { allowed: true, limit, remaining: limit - window.count, resetSeconds };
  }

  clear(): void {
    this.windows.clear();
  }
}
