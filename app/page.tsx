import { redirect } from "next/navigation";
import { currentStaff } from "@/lib/auth/session";
import { CUSTOMER_READERS } from "@/lib/roles";

export default async function Home() {
  const staff = await currentStaff();
  if (!staff) redirect("/login");
  redirect(CUSTOMER_READERS.includes(staff.role) ? "/customers" : "/audit");
}
