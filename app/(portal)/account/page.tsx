import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LanguageSwitch } from "@/components/account/language-switch";
import { PasswordForm } from "@/components/account/password-form";
import { currentStaff } from "@/lib/auth/session";
import { getLocale, getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.title") };
}
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const staff = await currentStaff();
  if (!staff) redirect("/login?callbackUrl=%2Faccount");
  const t = await getT();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{t("account.title")}</h1>
      <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium">{t("account.email")}</dt>
        <dd>{staff.email}</dd>
        <dt className="font-medium">{t("account.name")}</dt>
        <dd>{staff.name}</dd>
        <dt className="font-medium">{t("account.role")}</dt>
        <dd>{t(`shell.roles.${staff.role}`)}</dd>
      </dl>
      <LanguageSwitch current={await getLocale()} />
      <PasswordForm />
    </div>
  );
}
