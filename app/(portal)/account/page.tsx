import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PasswordForm } from "@/components/account/password-form";
import { currentStaff } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const staff = await currentStaff();
  if (!staff) redirect("/login?callbackUrl=%2Faccount");
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Account</h1>
      <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium">Email</dt>
        <dd>{staff.email}</dd>
        <dt className="font-medium">Name</dt>
        <dd>{staff.name}</dd>
        <dt className="font-medium">Role</dt>
        <dd>{staff.role}</dd>
      </dl>
      <PasswordForm />
    </div>
  );
}
