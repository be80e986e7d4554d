import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { TokenManager } from "@/components/tokens/token-manager";
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "@/lib/auth/api-tokens";
import { CUSTOMER_READERS } from "@/lib/roles";
import { currentStaff } from "@/lib/auth/session";
import { tokensOf } from "@/lib/staff/token-service";
import { I18nParts } from "@/lib/i18n/parts";
import { interleave } from "@/lib/i18n/interleave";
import { clientParts, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("tokens.docTitle") };
}
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  // The layout has already sent anyone signed out to /login.
  const staff = await currentStaff();
  if (!staff || !CUSTOMER_READERS.includes(staff.role)) return <Forbidden what="shell.forbidden.tokens" />;
  const [tokens, t] = await Promise.all([tokensOf(staff.id), getT()]);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">{t("tokens.title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-muted">
          {interleave(t("tokens.intro"), {
            endpoint: <code className="font-mono">GET /api/v0/customers</code>,
            keyHeader: <code className="font-mono">x-client-key</code>,
            secretHeader: <code className="font-mono">x-client-secret</code>,
          })}
        </p>
      </div>
      <I18nParts messages={await clientParts("tokens")}>
        <TokenManager tokens={tokens} now={new Date().toISOString()} defaultDays={DEFAULT_TOKEN_DAYS} maxDays={MAX_TOKEN_DAYS} />
      </I18nParts>
    </div>
  );
}
