import { readPortalEnv } from "@/lib/env";

/**
 * The address a sign-in came from, for the per-address throttle. X-Forwarded-For's left-hand entries are whatever
 * the client wrote; each trusted proxy appends the address it saw. So with TRUSTED_PROXY_HOPS = N proxies in front
 * of the portal, the client is the Nth entry from the right. (Directly exposed, the one entry is Next's own,
 * filled in only when the client sent none: run the portal behind a proxy that sets the header.)
 */
export function clientAddress(forwardedFor: unknown, trustedHops: number): string {
  if (typeof forwardedFor !== "string") return "unknown";
  const entries = forwardedFor
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return "unknown";
  return entries[Math.max(0, entries.length - Math.max(1, trustedHops))] ?? "unknown";
}

let trustedHops: number | undefined;

/** clientAddress with the portal's TRUSTED_PROXY_HOPS, read once (it is asked on every audited request). */
export function trustedClientAddress(forwardedFor: unknown): string {
  trustedHops ??= readPortalEnv().TRUSTED_PROXY_HOPS;
  return clientAddress(forwardedFor, trustedHops);
}
