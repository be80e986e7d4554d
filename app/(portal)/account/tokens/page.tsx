import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { TokenManager } from "@/components/tokens/token-manager";
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "@/lib/auth/api-tokens";
import { CUSTOMER_READERS } from "@/lib/roles";
import { currentStaff } from "@/lib/auth/session";
import { tokensOf } from "@/lib/staff/token-service";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  // The layout has already sent anyone signed out to /login.
  const staff = await currentStaff();
  if (!staff || !CUSTOMER_READERS.includes(staff.role)) return <Forbidden what="shell.forbidden.tokens" />;
  const tokens = await tokensOf(staff.id);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">API tokens</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">
          A personal token lets your scripts read customers through the portal as they would from Devdraft:{" "}
          <code className="font-mono">GET /api/v0/customers</code> on this portal, with the token&apos;s key in <code className="font-mono">x-client-key</code>{" "}
          and its secret in <code className="font-mono">x-client-secret</code>. Every call is recorded in the audit log under your name, with contact details as
          Devdraft sends them. It can only read customers, it expires, and it stops at once when you revoke it or your account is disabled.
        </p>
      </div>
      <TokenManager tokens={tokens} now={new Date().toISOString()} defaultDays={DEFAULT_TOKEN_DAYS} maxDays={MAX_TOKEN_DAYS} />
    </div>
  );
}
