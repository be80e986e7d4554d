// Debian's HAProxy in front of portal instances: installed with apt-get when missing (root only, like
// scripts/ensure-chromium.mjs and the SIEM tests' rsyslog), run in the foreground with a config of the spec's own.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adopt, type Proc } from "./processes";

export const HAPROXY = process.env.HAPROXY_PATH ?? "/usr/sbin/haproxy";

export function ensureHaproxy(): void {
  if (existsSync(HAPROXY)) return;
  if (process.getuid?.() !== 0) throw new Error(`HAProxy is missing at ${HAPROXY}: install it with "sudo apt-get install -y haproxy" (or set HAPROXY_PATH)`);
  const opts = { stdio: "inherit" as const, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  if (spawnSync("apt-get", ["install", "-y", "-qq", "haproxy"], opts).status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], opts);
    if (spawnSync("apt-get", ["install", "-y", "-qq", "haproxy"], opts).status !== 0) throw new Error("could not install haproxy with apt-get");
  }
  if (!existsSync(HAPROXY)) throw new Error(`haproxy not found at ${HAPROXY} after installing`);
}

/**
 * Round robin over `backends` (name → port) on 127.0.0.1:`port`, as a production balancer would be set up for the
 * portal (docs/operations.md, Three instances): health checks on /api/health/ready, a refused connection retried on
 * another instance, X-Forwarded-For appended (TRUSTED_PROXY_HOPS=1), and `x-backend` naming the instance that answered.
 */
export function startHaproxy(procs: Proc[], dir: string, port: number, backends: Record<string, number>): Proc {
  const config = join(dir, "haproxy.cfg");
  writeFileSync(
    config,
    [
      "global",
      "  maxconn 1024",
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  option forwardfor",
      "  option redispatch",
      "  retries 3",
      "frontend portal",
      `  bind 127.0.0.1:${port}`,
      "  default_backend portals",
      "backend portals",
      "  balance roundrobin",
      "  option httpchk GET /api/health/ready",
      "  http-check expect status 200",
      "  http-response set-header x-backend %[srv_name]",
      ...Object.entries(backends).map(([name, p]) => `  server ${name} 127.0.0.1:${p} check inter 500 fall 2 rise 2`),
      "",
    ].join("\n"),
  );
  const check = spawnSync(HAPROXY, ["-c", "-f", config], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`haproxy -c rejected ${config}: ${check.stderr || check.stdout}`);
  return adopt(procs, "haproxy", spawn(HAPROXY, ["-db", "-f", config], { stdio: ["ignore", "pipe", "pipe"], detached: true }));
}
