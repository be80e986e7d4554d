import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/shell/forbidden";
import { AddStaffForm } from "@/components/staff/add-staff-form";
import { StaffRowActions } from "@/components/staff/staff-row-actions";
import { LocalTime } from "@/components/ui/local-time";
import { staffPageAccess } from "@/lib/staff/staff-admin";
import { listStaffForAdmin } from "@/lib/auth/staff-store";
import { getDb } from "@/lib/db";

export const metadata: Metadata = { title: "Staff" };
export const dynamic = "force-dynamic";

const TH = "whitespace-nowrap px-3 py-2 text-start text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300";
const TD = "px-3 py-2 align-top";

export default async function StaffPage() {
  const me = await staffPageAccess();
  if (me === "forbidden") return <Forbidden what="shell.forbidden.staff" />;
  const staff = await listStaffForAdmin(await getDb());
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Staff</h1>
      <p className="text-sm">
        Every change here is recorded in the{" "}
        <Link href="/audit" className="underline">
          audit log
        </Link>{" "}
        with the state before and after. You cannot demote or disable yourself, and the last enabled admin stays one.
      </p>
      <AddStaffForm />
      <div role="region" aria-label="Staff table" tabIndex={0} className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Staff members, {staff.length} in all</caption>
          <thead>
            <tr>
              {["Email", "Name", "Role", "Status", "Created", "Changes"].map((c) => (
                <th key={c} scope="col" className={TH}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id} className="border-t border-slate-200 dark:border-slate-800">
                <th scope="row" className={`${TD} whitespace-nowrap text-start font-medium`}>
                  {s.email}
                  {s.id === me.id && <span className="ms-1 font-normal text-slate-700 dark:text-slate-300">(you)</span>}
                </th>
                <td className={TD}>{s.name}</td>
                <td className={TD}>{s.role}</td>
                <td className={`${TD} whitespace-nowrap`}>
                  {s.disabled_at ? "Disabled" : "Active"}
                  {!s.has_password && <span className="block text-xs text-slate-700 dark:text-slate-300">no password (OIDC)</span>}
                </td>
                <td className={`${TD} whitespace-nowrap`}>
                  <LocalTime value={s.created_at} />
                </td>
                <td className={TD}>
                  {s.id === me.id ? (
                    <span className="text-sm">
                      Your own account: change your password on the{" "}
                      <Link href="/account" className="underline">
                        Account
                      </Link>{" "}
                      page.
                    </span>
                  ) : (
                    <StaffRowActions email={s.email} role={s.role} disabled={s.disabled_at !== null} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
