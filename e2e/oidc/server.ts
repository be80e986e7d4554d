// A real OpenID Connect provider (oidc-provider) for the browser tests: any login name that is an email
// signs in as that email, verified. Started by playwright.config.ts on loopback.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_TEST_PORT ?? 4120);
const portal = process.env.OIDC_TEST_PORTAL_URL ?? "http://127.0.0.1:3100";
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "portal",
      client_secret: "portal-test-secret",
      redirect_uris: [`${portal}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, email: id, email_verified: true, name: id.split("@")[0] }),
  }),
  // Put email and email_verified in the ID token itself, as the common providers do for scope `email`.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["e2e-only-cookie-key"] },
  pkce: { required: () => true },
});

const server = provider.listen(port, "127.0.0.1");
process.stdout.write(`oidc provider on ${issuer}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)));
