import type { IncomingMessage } from "node:http";
import { faultPatchSchema, type Faults } from "./faults";
import { nestError, readJsonBody, type Answer } from "./http-util";
import type { RateLimiter } from "./rate-limit";
import type { Stats } from "./stats";
import type { CustomerStore } from "./store";

export interface ControlContext {
  store: CustomerStore;
  faults: Faults;
  limiter: RateLimiter;
  stats: Stats;
}

/** /__sandbox/*: loopback test controls, served without credentials. */
export async function handleControl(method: string, path: string, req: IncomingMessage, ctx: ControlContext): Promise<Answer> {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /__sandbox/health":
      return { status: 200, body: { ok: true, customers: ctx.store.size } };
    case "GET /__sandbox/faults":
      return { status: 200, body: ctx.faults.settings };
    case "PUT /__sandbox/faults": {
      const body = await readJsonBody(req);
      if (!body.ok) return body.answer;
      const patch = faultPatchSchema.safeParse(body.value);
      if (!patch.success) {
        const messages = patch.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
        return nestError(400, messages, "Bad Request");
      }
      return { status: 200, body: ctx.faults.merge(patch.data) };
    }
    case "POST /__sandbox/reset":
      ctx.limiter.clear();
      ctx.stats.reset();
      return { status: 200, body: { ok: true, faults: ctx.faults.reset() } };
    case "GET /__sandbox/stats": {
      const { requests, hung, byStatus } = ctx.stats.snapshot();
      return { status: 200, body: { requests, hung, byStatus } };
    }
    default:
      return nestError(404, `Cannot ${method} ${path}`, "Not Found");
  }
}
