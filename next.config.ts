import type { NextConfig } from "next";
import { apiSecurityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The dev server is reached as 127.0.0.1 as well as localhost (tests, scripts).
  allowedDevOrigins: ["127.0.0.1"],
  reactStrictMode: true,
  // The app's own files; tests, e2e, benches and the sandbox are type-checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  // Native and worker-based server packages are loaded by Node, not bundled.
  serverExternalPackages: ["better-sqlite3", "pg", "pino", "kysely"],
  // proxy.ts does not run for /api (it cost more than half the API's CPU): its answers get their fixed headers
  // here, and apiRoute gives each one its request id and refuses cross-site writes.
  async headers() {
    const headers = Object.entries(apiSecurityHeaders(process.env.NODE_ENV === "production")).map(([key, value]) => ({ key, value }));
    return [{ source: "/api/:path*", headers }];
  },
};

export default nextConfig;
