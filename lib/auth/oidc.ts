import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";

const oidcEnv = z.object({
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_ID: z.string().min(1),
  OIDC_CLIENT_SECRET: z.string().min(1),
  OIDC_NAME: z.string().min(1).default("SSO"),
});

const oidcProfile = z.object({
  sub: z.string(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
});
type OidcProfile = z.infer<typeof oidcProfile>;

/** The generic OpenID Connect provider, when OIDC_ISSUER is configured. */
export function oidcProvider(env: NodeJS.ProcessEnv = process.env): OAuthConfig<OidcProfile> | null {
  if (!env.OIDC_ISSUER) return null;
  const cfg = oidcEnv.parse(env);
  return {
    id: "oidc",
    name: cfg.OIDC_NAME,
    type: "oauth",
    wellKnown: `${cfg.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: cfg.OIDC_CLIENT_ID,
    clientSecret: cfg.OIDC_CLIENT_SECRET,
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
  return env.OIDC_ISSUER ? (env.OIDC_NAME ?? "SSO") : null;
}
