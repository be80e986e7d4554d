import { spawnSync } from "node:child_process";
// Signing in from a Node script (benches, the soak) as a browser would: next-auth's CSRF token, then the
// credentials callback; the answer is the session cookie to send with later requests.

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
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

/**
 * A staff member made with the staff CLI (`npm run staff -- add`, password piped on stdin) in the store `env` names
 * (PORTAL_DATA_DIR or DATABASE_URL): the only accounts outside demo mode, where the demo accounts are refused.
 */
export function addStaffWithCli(
  env: Record<string, string | undefined>,
  staff: { email: string; role: "agent" | "admin" | "auditor"; name?: string; password: string },
): void {
  const args = ["run", "--silent", "staff", "--", "add", "--email", staff.email, "--role", staff.role, ...(staff.name ? ["--name", staff.name] : [])];
  const run = spawnSync("npm", args, { env: { ...process.env, ...env }, input: `${staff.password}\n`, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run staff -- add --email ${staff.email} failed: ${run.stderr || run.stdout}`);
}
