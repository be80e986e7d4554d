/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The dev server is reached as 127.0.0.1 as well as localhost (tests, scripts).
  allowedDevOrigins: ["127.0.0.1"],
  reactStrictMode: true,
  // Native and worker-based server packages are loaded by Node, not bundled.
  // The app's own files; tests, e2e, benches and the sandbox are type-checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  serverExternalPackages: ["better-sqlite3", "pg", "pino", "kysely"],
};

export default nextConfig;
