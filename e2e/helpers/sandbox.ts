import { z } from "zod";
import { resetSandbox, sandbox, setFaults } from "./api";

// The fault controls live in the shared API helper; re-exported so UI specs have one place to look.
export { resetSandbox, setFaults };

const customer = z.object({
  id: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  phone_number: z.string().nullable(),
  status: z.string().nullable(),
});
export type SandboxCustomer = z.infer<typeof customer>;

/** What Devdraft itself answers for a query: the expected rows of the portal's list. */
export async function sandboxCustomers(query: Record<string, string | number>): Promise<SandboxCustomer[]> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const { status, body } = await sandbox(`/api/v0/customers?${params}`);
  if (status !== 200) throw new Error(`the sandbox answered ${status}`);
  const list = Array.isArray(body) ? body : z.object({ data: z.array(z.unknown()) }).parse(body).data;
  return z.array(customer).parse(list);
}

export function displayName(c: SandboxCustomer): string {
  return (
    [c.first_name, c.last_name]
      .filter((p) => p && p.trim())
      .join(" ")
      .trim() || "(no name)"
  );
}
