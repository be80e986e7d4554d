// Signing in from a Node script (benches, the soak) as a browser would: next-auth's CSRF token, then the
// credentials callback; the answer is the session cookie to send with later requests.

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** A session cookie from next-auth's credentials flow (CSRF token, then the callback). */
export async function signIn(portal: string, email: string, password = "demo"): Promise<string> {
  const csrfRes = await fetch(`${portal}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${portal}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrfRes) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(res);
  if (!session.includes("session-token")) throw new Error(`sign-in as ${email} failed (${res.status})`);
  return session;
}
