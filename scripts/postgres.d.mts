// Types for the helpers TypeScript tests import from scripts/postgres.mjs.
export function clusterPaths(port?: number): { port: number; dir: string; data: string; log: string };
export function databaseUrl(port?: number): string;
export function startPostgres(options?: { port?: number }): Promise<string>;
export function stopPostgres(options?: { port?: number }): Promise<void>;
export function startReplica(options: { primaryPort: number; port: number }): Promise<string>;
