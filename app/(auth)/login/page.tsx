import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { oidcDisplayName } from "@/lib/auth/oidc";
import { demoAccountsAllowed } from "@/lib/auth/seed";
import { currentStaff } from "@/lib/auth/session";
import { DEMO_PASSWORD, DEMO_STAFF } from "@/lib/auth/staff-store";
import { safeCallbackPath } from "@/lib/http/safe-callback";
import { interleave } from "@/lib/i18n/interleave";
import { I18nParts } from "@/lib/i18n/parts";
import { clientParts, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("signIn.docTitle") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  if (await currentStaff()) redirect(callbackPath);
  const error = typeof params.error === "string" ? params.error : null;
  const demo = demoAccountsAllowed();
  const t = await getT();
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4 py-10">
      <h1 className="text-2xl font-semibold">{t("signIn.title")}</h1>
      {params.ended === "idle" && (
        <p role="status" className="rounded-md border border-edge bg-sunken p-3 text-sm">
          {t("signIn.idleEnded")}
        </p>
      )}
      <I18nParts messages={await clientParts("signIn")}>
        <LoginForm callbackPath={callbackPath} initialError={error} oidcName={oidcDisplayName()} />
      </I18nParts>
      {demo && (
        <section aria-labelledby="demo-heading" className="rounded-md border border-warning-edge bg-warning-bg p-4 text-sm">
          <h2 id="demo-heading" className="font-medium">
            {t("signIn.demoTitle")}
          </h2>
          <p className="mt-1">{interleave(t("signIn.demoPassword"), { password: <code className="font-mono">{DEMO_PASSWORD}</code> })}</p>
          <ul className="mt-2 space-y-1">
            {DEMO_STAFF.map((s) => (
              <li key={s.email}>
                <code className="font-mono">{s.email}</code> — {t(`shell.roles.${s.role}`)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
