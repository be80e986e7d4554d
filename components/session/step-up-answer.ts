import { apiMessages } from "@/lib/customers/answers";

/** The message and code of a refusal from the portal (the step-up prompt shows the message; `code` tells a step-up request). */
export async function messageOf(res: Response): Promise<{ message: string; code: string | null }> {
  const body: unknown = await res.json().catch(() => null);
  const code = body && typeof body === "object" && "code" in body && typeof body.code === "string" ? body.code : null;
  return { message: apiMessages(body, res.status).join("; "), code };
}
