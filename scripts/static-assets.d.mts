// Types for the helpers TypeScript tests import from scripts/static-assets.mjs.
import type { IncomingMessage, ServerResponse } from "node:http";

type Precompressed = { buildId: string; files: Record<string, { size: number; mtimeMs: number; br?: number; gzip?: number }> };
export function precompressStatic(distDir: string): Promise<Precompressed>;
export function isPrecompressed(distDir: string): Promise<boolean>;
export function chooseEncoding(acceptEncoding: string | undefined): "br" | "gzip" | "identity";
export function loadStaticAssets(distDir: string): Promise<((req: IncomingMessage, res: ServerResponse) => boolean) & { size: number }>;
