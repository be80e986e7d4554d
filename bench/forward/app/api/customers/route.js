// The minimal forward the portal is measured against: attach the keys, pass the query on, return the
// answer. No session, no validation, no audit, no budget.
export const dynamic = "force-dynamic";

export async function GET(request) {
  const { search } = new URL(request.url);
  const upstream = await fetch(`${process.env.FORWARD_UPSTREAM}/api/v0/customers${search}`, {
    headers: { "x-client-key": process.env.FORWARD_CLIENT_KEY ?? "", "x-client-secret": process.env.FORWARD_CLIENT_SECRET ?? "" },
  });
  return new Response(upstream.body, { status: upstream.status, headers: { "content-type": "application/json", "cache-control": "private, no-store" } });
}
