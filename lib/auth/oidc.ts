import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { optionalText, parseSettings } from "@/lib/settings/fields";

const oidcEnv = z.object({
  OIDC_ISSUER: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() || undefined : v),
    z.url({ protocol: /^https?$/, error: "OIDC_ISSUER must be the identity provider's http(s) issuer URL" }).optional(),
  ),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: optionalText,
});

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button ("Sign in with …"). */
  name: string;
}

/** Null when OIDC_ISSUER is unset (password sign-in only); otherwise all of it, one line per problem. */
export function readOidcSettings(env: Readonly<Record<string, string | undefined>> = process.env): OidcSettings | null {
  const s = parseSettings(oidcEnv, env);
  if (s.OIDC_ISSUER === undefined) {
    const stray = (["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const).filter((n) => s[n] !== undefined);
    if (stray.length > 0)
      throw new Error(`${stray.join(" and ")} ${stray.length === 1 ? "is" : "are"} set but OIDC_ISSUER is not (single sign-on needs all three)`);
    return null;
  }
  const missing = (["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const).filter((n) => s[n] === undefined);
  if (missing.length > 0) throw new Error(missing.map((n) => `${n} is required when OIDC_ISSUER is set`).join("\n"));
  return { issuer: s.OIDC_ISSUER, clientId: s.OIDC_CLIENT_ID as string, clientSecret: s.OIDC_CLIENT_SECRET as string, name: s.OIDC_NAME ?? "SSO" };
}

const oidcProfile = z.object({
  sub: z.string(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
});
type OidcProfile = z.infer<typeof oidcProfile>;

/** The generic OpenID Connect provider, when OIDC_ISSUER is configured. */
export function oidcProvider(env: NodeJS.ProcessEnv = process.env): OAuthConfig<OidcProfile> | null {
  const cfg = readOidcSettings(env);
  if (cfg === null) return null;
  return {
    id: "oidc",
    name: cfg.name,
    type: "oauth",
    wellKnown: `${cfg.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    profile(raw) {
      const p = oidcProfile.parse(raw);
      return { id: p.sub, email: p.email ?? null, name: p.name ?? p.email ?? p.sub };
    },
  };
}

export function oidcDisplayName(env: NodeJS.ProcessEnv = process.env): string | null {
  return readOidcSettings(env)?.name ?? null;
}
