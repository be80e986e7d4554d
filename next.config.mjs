/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and worker-based server packages are loaded by Node, not bundled.
  serverExternalPackages: ["better-sqlite3", "pg", "pino", "kysely"],
};

export default nextConfig;
