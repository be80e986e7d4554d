/** The message and code of a refusal from the portal (the step-up prompt shows the message; `code` tells a step-up request). */
export async function messageOf(res: Response): Promise<{ message: string; code: string | null }> {
  const body: unknown = await res.json().catch(() => null);
  const field = (k: string) => (body && typeof body === "object" && k in body ? (body as Record<string, unknown>)[k] : null);
  const message = field("message");
  return {
    message: Array.isArray(message) ? message.join("; ") : typeof message === "string" ? message : `The portal answered ${res.status}`,
    code: typeof field("code") === "string" ? String(field("code")) : null,
  };
}
