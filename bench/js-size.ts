// The JavaScript a browser loads for /customers, read from the portal's build (.next) rather than counted in a
// browser: React and Next's shared chunks (rootMainFiles) plus every entry file of the page's segments (layouts,
// error boundaries, not-found, the page), gzip at zlib's default level as the server sends them. The e2e budget
// test (e2e/customers.spec.ts "budget") counts the same in Chromium, as sent.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "./harness";

const PAGE = "/(portal)/customers/page";

export type JsSize = { files: number; gzipBytes: number; sharedGzipBytes: number; pageGzipBytes: number };

export function customersPageJs(dir = join(root, ".next")): JsSize {
  const build = JSON.parse(readFileSync(join(dir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  // The client reference manifest is a script that fills a global.
  const slot = globalThis as { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> };
  createRequire(import.meta.url)(join(dir, "server/app/(portal)/customers/page_client-reference-manifest.js"));
  const entries = slot.__RSC_MANIFEST?.[PAGE]?.entryJSFiles;
  if (!entries) throw new Error(`no client manifest for ${PAGE} in ${dir}`);
  const shared = new Set(build.rootMainFiles);
  const own = new Set(
    Object.values(entries)
      .flat()
      .filter((f) => !shared.has(f)),
  );
  const gz = (files: Set<string>) => [...files].reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
  const sharedGzipBytes = gz(shared);
  const pageGzipBytes = gz(own);
  return { files: shared.size + own.size, gzipBytes: sharedGzipBytes + pageGzipBytes, sharedGzipBytes, pageGzipBytes };
}
