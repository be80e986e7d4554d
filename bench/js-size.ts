// The JavaScript a browser loads for /customers, read from the portal's build (.next) rather than counted in a
// browser: React and Next's shared chunks (rootMainFiles) plus every entry file of the page's segments (layouts,
// error boundaries, the page). Two sizes each: brotli at quality 11, as the portal sends them to a
// browser (scripts/static-assets.mjs, precompressed), and gzip at zlib's default level, as Next sends them to a
// client that does not take brotli. The e2e budget test (e2e/customers.spec.ts "budget") counts the same in
// Chromium, as sent.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { root } from "./harness";

const PAGE = "/(portal)/customers/page";

type Sizes = { gzip: number; brotli: number };
export type JsSize = { files: number; total: Sizes; shared: Sizes; page: Sizes };

const brotli = (body: Buffer) =>
  brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  }).length;

export function customersPageJs(dir = join(root, ".next")): JsSize {
  const build = JSON.parse(readFileSync(join(dir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  // The client reference manifest is a script that fills a global.
  const slot = globalThis as { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> };
  createRequire(import.meta.url)(join(dir, "server/app/(portal)/customers/page_client-reference-manifest.js"));
  const entries = slot.__RSC_MANIFEST?.[PAGE]?.entryJSFiles;
  if (!entries) throw new Error(`no client manifest for ${PAGE} in ${dir}`);
  const sharedFiles = new Set(build.rootMainFiles);
  // Not not-found's entry: Next loads it when a not-found is drawn, not with the page (Chromium counts it neither).
  const own = new Set(
    Object.entries(entries)
      .filter(([segment]) => !segment.endsWith("/not-found"))
      .flatMap(([, files]) => files)
      .filter((f) => !sharedFiles.has(f)),
  );
  const sizes = (files: Set<string>): Sizes => {
    const bodies = [...files].map((f) => readFileSync(join(dir, f)));
    return { gzip: bodies.reduce((n, b) => n + gzipSync(b).length, 0), brotli: bodies.reduce((n, b) => n + brotli(b), 0) };
  };
  const shared = sizes(sharedFiles);
  const page = sizes(own);
  return { files: sharedFiles.size + own.size, total: { gzip: shared.gzip + page.gzip, brotli: shared.brotli + page.brotli }, shared, page };
}

// `npx tsx bench/js-size.ts [distDir]`: the figures alone, from a build.
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${describeJs(customersPageJs(process.argv[2]))}\n`);

/** One line: brotli (as sent to a browser) beside gzip, shared and the page's own. */
export function describeJs(js: JsSize) {
  const kb = (n: number) => (n / 1024).toFixed(1);
  return (
    `JavaScript of /customers (this build's manifests, ${js.files} files): brotli 11 ${kb(js.total.brotli)} kB (as sent to a browser; ` +
    `React and Next ${kb(js.shared.brotli)}, the page's own ${kb(js.page.brotli)}), gzip ${kb(js.total.gzip)} kB (shared ${kb(js.shared.gzip)}, ` +
    `page ${kb(js.page.gzip)}); aim 130 kB`
  );
}
