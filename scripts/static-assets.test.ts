import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type IncomingHttpHeaders, type Server, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEncoding, isPrecompressed, loadStaticAssets, precompressStatic } from "./static-assets.mjs";

// A build of its own: a real server with the handler in front of a stand-in for Next that answers 404 "next".
let dist: string;
let server: Server;
let base: string;
const APP = Buffer.from(Array.from({ length: 400 }, (_, i) => `export const value${i} = () => "row ${i % 7}";\n`).join(""));
const CSS = Buffer.from(".table { color: red; }\n".repeat(200));

function write(path: string, body: Buffer | string) {
  mkdirSync(dirname(join(dist, path)), { recursive: true });
  writeFileSync(join(dist, path), body);
}

/** A raw request: the path goes out exactly as written (fetch would resolve `..` first). */
function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}/`, { path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function listen(distDir: string) {
  const serve = await loadStaticAssets(distDir);
  const next = createServer((req, res) => {
    if (!serve(req, res)) res.writeHead(404, { "Content-Type": "text/plain" }).end("next");
  });
  await new Promise<void>((r) => next.listen(0, "127.0.0.1", r));
  return { next, serve, url: `http://127.0.0.1:${(next.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "static-assets-"));
  write("BUILD_ID", "build-1");
  write("static/chunks/app.js", APP);
  write("static/chunks/style.css", CSS);
  write("static/chunks/tiny.js", "1");
  write("static/media/font.woff2", Buffer.from([0x77, 0x4f, 0x46, 0x32, 1, 2, 3]));
  write("server/secret.js", `module.exports = "the server's own";\n`.repeat(50));
  write("static/chunks/changed.js", APP);
  await precompressStatic(dist);
  // Rebuilt after the step ran: its compressed copy is of other bytes and must not be sent.
  write("static/chunks/changed.js", `${APP.toString()}// changed\n`);
  ({ next: server, url: base } = await listen(dist));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dist, { recursive: true, force: true });
});

describe("precompressed static assets", () => {
  it("sends brotli, gzip or the file as accepted, each decoding to the file's bytes, with Next's headers", async () => {
    const br = await get("/_next/static/chunks/app.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    const gz = await get("/_next/static/chunks/app.js", { "accept-encoding": "gzip" });
    const plain = await get("/_next/static/chunks/app.js");
    expect([br.headers["content-encoding"], gz.headers["content-encoding"], plain.headers["content-encoding"]]).toEqual(["br", "gzip", undefined]);
    expect(brotliDecompressSync(br.body).equals(APP)).toBe(true);
    expect(gunzipSync(gz.body).equals(APP)).toBe(true);
    expect(plain.body.equals(APP)).toBe(true);
    expect(br.body.length).toBeLessThan(gz.body.length);
    for (const answer of [br, gz, plain]) {
      expect(answer.status).toBe(200);
      expect(answer.headers["content-length"]).toBe(String(answer.body.length));
      expect(answer.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
      expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(answer.headers.vary).toBe("Accept-Encoding");
      expect(answer.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    }
    const css = await get("/_next/static/chunks/style.css?dpl=abc", { "accept-encoding": "br" });
    expect(css.headers["content-type"]).toBe("text/css; charset=UTF-8");
    expect(brotliDecompressSync(css.body).equals(CSS)).toBe(true);
  });

  it("honours q=0 and sends the file itself when no compressed copy is smaller", async () => {
    expect(chooseEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("*, br;q=0")).toBe("gzip");
    expect(chooseEncoding("deflate, identity")).toBe("identity");
    expect(chooseEncoding("BR;Q=1")).toBe("br");
    const tiny = await get("/_next/static/chunks/tiny.js", { "accept-encoding": "br, gzip" });
    expect([tiny.status, tiny.headers["content-encoding"], tiny.body.toString()]).toEqual([200, undefined, "1"]);
  });

  it("answers HEAD with the headers alone, and a matching ETag or date with 304", async () => {
    const head = await get("/_next/static/chunks/app.js", { "accept-encoding": "br" }, "HEAD");
    const full = await get("/_next/static/chunks/app.js", { "accept-encoding": "br" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-length"]).toBe(full.headers["content-length"]);
    const etag = String(full.headers.etag);
    for (const condition of <Record<string, string>[]>[
      { "if-none-match": etag },
      { "if-none-match": `"x", ${etag.slice(2)}` },
      { "if-modified-since": String(full.headers["last-modified"]) },
    ]) {
      const again = await get("/_next/static/chunks/app.js", { "accept-encoding": "br", ...condition });
      expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, etag]);
    }
    const stale = await get("/_next/static/chunks/app.js", { "if-none-match": 'W/"other"' });
    expect(stale.status).toBe(200);
  });

  it("leaves to Next what it does not hold: missing files, other methods, ranges, binary files, files changed since", async () => {
    const fellThrough = [
      await get("/_next/static/chunks/missing.js", { "accept-encoding": "br" }),
      await get("/_next/static/chunks/app.js", { "accept-encoding": "br" }, "POST"),
      await get("/_next/static/chunks/app.js", { range: "bytes=0-9" }),
      await get("/_next/static/media/font.woff2", { "accept-encoding": "br" }),
      await get("/_next/static/chunks/changed.js", { "accept-encoding": "br" }),
      await get("/_next/static/chunks", { "accept-encoding": "br" }),
    ];
    for (const answer of fellThrough) expect([answer.status, answer.body.toString()]).toEqual([404, "next"]);
  });

  it("serves nothing outside the static folder, however the path is written", async () => {
    const attempts = [
      "/_next/static/../BUILD_ID",
      "/_next/static/../server/secret.js",
      "/_next/static/%2e%2e/server/secret.js",
      "/_next/static/chunks/..%2f..%2fserver%2fsecret.js",
      "/_next/static/chunks/%2E%2E%2F%2E%2E%2Fserver/secret.js",
      "/_next/static/..\\server\\secret.js",
      "/_next/static//etc/passwd",
      "/_next/static/chunks/app.js%00.map",
      "/_next/static/%E0%A4%A",
      "/_next/static/../precompressed/chunks/app.js.br",
      "/_next/static/../precompressed/manifest.json",
    ];
    for (const path of attempts) {
      const answer = await get(path, { "accept-encoding": "br, gzip" });
      expect([path, answer.status, answer.body.toString()]).toEqual([path, 404, "next"]);
    }
  });

  it("serves nothing from a manifest of another build (the step not run since `next build`)", async () => {
    expect(await isPrecompressed(dist)).toBe(true);
    write("BUILD_ID", "build-2");
    try {
      expect(await isPrecompressed(dist)).toBe(false);
      const other = await listen(dist);
      expect(other.serve.size).toBe(0);
      await new Promise((r) => other.next.close(r));
    } finally {
      write("BUILD_ID", "build-1");
    }
  });
});
