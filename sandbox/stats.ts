export interface StatsSnapshot {
  requests: number;
  hung: number;
  byStatus: Record<string, number>;
}

/** Counts of requests to API routes (everything outside /__sandbox/) since start or reset. */
export class Stats {
  private requests = 0;
  private hung = 0;
  private byStatus = new Map<number, number>();

  received(): void {
    this.requests += 1;
  }

  answered(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  hanging(): void {
    this.hung += 1;
  }

  reset(): void {
    this.requests = 0;
    this.hung = 0;
    this.byStatus = new Map();
  }

  snapshot(): StatsSnapshot {
    const byStatus: Record<string, number> = {};
    for (const [status, count] of [...this.byStatus].sort((a, b) => a[0] - b[0])) byStatus[String(status)] = count;
    return { requests: this.requests, hung: this.hung, byStatus };
  }
}
