#!/usr/bin/env node
// The build's static assets (`/_next/static/**`) sent precompressed: brotli at quality 11 to a client that accepts
// `br` (every current browser), gzip at level 9 otherwise, the file itself when it accepts neither. Next compresses
// each answer itself at gzip's default level, on the request path; brotli at 11 is far too slow for that but takes
// about a sixth off the JavaScript of a page (docs/performance.md, "JavaScript of /customers").
//
// Two halves:
// - `precompressStatic(distDir)`, run once after `next build` (`npm run build`, scripts/start.mjs; or
//   `node scripts/static-assets.mjs [distDir]`): writes `<distDir>/precompressed/<file>.br|.gz` beside a manifest
//   naming the build. Async zlib: the work runs on libuv's thread pool.
// - `loadStaticAssets(distDir)`, at the server's start-up (scripts/server.mjs): reads the manifest into an index
//   and returns `serve(req, res)`, which answers a GET or HEAD of an indexed file and returns true, or returns
//   false and leaves the request to Next (a file not indexed, a Range request, any other method). Only the exact
//   paths the manifest lists, each checked against the file under `<distDir>/static`, are ever served: a
//   traversal (`..`, encoded or not) names no indexed path and falls through to Next, whose answer is its 404.
import { createReadStream } from "node:fs";
import { mkdir, readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import { extname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const PREFIX = "/_next/static/";
const MANIFEST = "manifest.json";
// What Next sends for these (its `send` with mime 1.x, charset for text types): the same here.
const CONTENT_TYPES = {
  ".js": "application/javascript; charset=UTF-8",
  ".mjs": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=UTF-8",
};
// Next's own header for the build's hashed files.
const CACHE_CONTROL = "public, max-age=31536000, immutable";

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

async function writeAtomically(path, data) {
  await mkdir(resolve(path, ".."), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** The relative path's URL form: `/`-separated (the index's key, decoded). */
const posix = (rel) => rel.split(sep).join("/");

/**
 * Compresses every text asset under `<distDir>/static` into `<distDir>/precompressed`, then writes the manifest
 * (last, so a manifest names only files that are there). A variant no smaller than the file is left out.
 */
export async function precompressStatic(distDir) {
  const buildId = (await readFile(join(distDir, "BUILD_ID"), "utf8")).trim();
  const staticDir = join(distDir, "static");
  const outDir = join(distDir, "precompressed");
  const files = {};
  const queue = [];
  for await (const path of walk(staticDir)) if (CONTENT_TYPES[extname(path)]) queue.push(path);
  // Two at a time: brotli 11 is CPU-bound and the thread pool has four threads.
  const worker = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) {
      const [body, info] = await Promise.all([readFile(path), stat(path)]);
      const rel = posix(relative(staticDir, path));
      const [br, gz] = await Promise.all([
        brotli(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
        gzipAsync(body, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      const entry = { size: info.size, mtimeMs: info.mtimeMs };
      if (br.length < body.length) {
        await writeAtomically(join(outDir, `${rel}.br`), br);
        entry.br = br.length;
      }
      if (gz.length < body.length) {
        await writeAtomically(join(outDir, `${rel}.gz`), gz);
        entry.gzip = gz.length;
      }
      files[rel] = entry;
    }
  };
  await Promise.all([worker(), worker()]);
  await writeAtomically(join(outDir, MANIFEST), JSON.stringify({ buildId, files }));
  return { buildId, files };
}

/** The manifest of `<distDir>/precompressed` if it belongs to the build in `distDir`, else null. */
async function manifestOfBuild(distDir) {
  try {
    const [buildId, manifest] = await Promise.all([readFile(join(distDir, "BUILD_ID"), "utf8"), readFile(join(distDir, "precompressed", MANIFEST), "utf8")]);
    const parsed = JSON.parse(manifest);
    return parsed.buildId === buildId.trim() ? parsed : null;
  } catch {
    return null;
  }
}

/** Whether `<distDir>/precompressed` belongs to the build in `distDir` (scripts/start.mjs runs the step when not). */
export async function isPrecompressed(distDir) {
  return (await manifestOfBuild(distDir)) !== null;
}

/** `br`, `gzip` or `identity`: the best the client accepts (a `q=0` refuses; `*` stands for any not named). */
export function chooseEncoding(acceptEncoding) {
  const q = new Map();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(value) ? value : 0);
  }
  const accepts = (name) => (q.get(name) ?? q.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return "identity";
}

/** Next's ETag for a static file (`send`: weak, the size and the modification time in hex). */
const etagOf = (info) => `W/"${info.size.toString(16)}-${info.mtime.getTime().toString(16)}"`;

function notModified(req, asset) {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch) {
    const tag = asset.etag.replace(/^W\//, "");
    return ifNoneMatch.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === tag);
  }
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && Math.floor(asset.mtimeMs / 1000) * 1000 <= since;
}

/**
 * The index of the precompressed build in `distDir` and the request handler over it. With no manifest for this
 * build (the build step did not run), the handler serves nothing and Next compresses as before.
 */
export async function loadStaticAssets(distDir) {
  const index = new Map();
  const staticDir = join(distDir, "static");
  const outDir = join(distDir, "precompressed");
  const manifest = await manifestOfBuild(distDir);
  for (const [rel, entry] of Object.entries(manifest?.files ?? {})) {
    const path = join(staticDir, ...rel.split("/"));
    const type = CONTENT_TYPES[extname(path)];
    // Only files inside the static folder, unchanged since they were compressed.
    if (!type || rel.split("/").includes("..") || !path.startsWith(staticDir + sep)) continue;
    const info = await stat(path).catch(() => null);
    if (!info?.isFile() || info.size !== entry.size || info.mtimeMs !== entry.mtimeMs) continue;
    const variants = { identity: { path, size: info.size } };
    if (entry.br) variants.br = { path: join(outDir, ...`${rel}.br`.split("/")), size: entry.br };
    if (entry.gzip) variants.gzip = { path: join(outDir, ...`${rel}.gz`.split("/")), size: entry.gzip };
    index.set(PREFIX + rel, { type, variants, mtimeMs: info.mtimeMs, etag: etagOf(info), lastModified: info.mtime.toUTCString() });
  }

  function serve(req, res) {
    if ((req.method !== "GET" && req.method !== "HEAD") || !req.url?.startsWith(PREFIX) || req.headers.range) return false;
    const query = req.url.indexOf("?");
    let path;
    try {
      path = decodeURIComponent(query < 0 ? req.url : req.url.slice(0, query));
    } catch {
      return false;
    }
    const asset = index.get(path);
    if (!asset) return false;
    // A variant missing was no smaller than the file: the file itself then.
    const accepted = chooseEncoding(req.headers["accept-encoding"]);
    const encoding = asset.variants[accepted] ? accepted : "identity";
    const variant = asset.variants[encoding];
    const headers = { "Cache-Control": CACHE_CONTROL, "Last-Modified": asset.lastModified, ETag: asset.etag, Vary: "Accept-Encoding" };
    if (notModified(req, asset)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    headers["Content-Type"] = asset.type;
    headers["Content-Length"] = String(variant.size);
    if (encoding === "identity") headers["Accept-Ranges"] = "bytes";
    else headers["Content-Encoding"] = encoding;
    res.writeHead(200, headers);
    if (req.method === "HEAD") {
      res.end();
      return true;
    }
    const body = createReadStream(variant.path);
    body.on("error", (error) => res.destroy(error));
    body.pipe(res);
    return true;
  }
  serve.size = index.size;
  return serve;
}

// `node scripts/static-assets.mjs [distDir]`: the build step (`npm run build` runs it after `next build`).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const distDir = resolve(process.argv[2] ?? join(import.meta.dirname, "..", ".next"));
  const started = Date.now();
  const { files } = await precompressStatic(distDir);
  const sum = (key) => Object.values(files).reduce((n, f) => n + (f[key] ?? f.size), 0);
  process.stdout.write(
    `[portal] precompressed ${Object.keys(files).length} static files in ${Date.now() - started} ms: ` +
      `${(sum("size") / 1024).toFixed(1)} kB, brotli ${(sum("br") / 1024).toFixed(1)} kB, gzip ${(sum("gzip") / 1024).toFixed(1)} kB\n`,
  );
}
