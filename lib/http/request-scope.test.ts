import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { requestCookie, requestHeaders, withRequestScope } from "./request-scope";

const request = (agent: string, cookie: string) => new NextRequest("http://portal.test/api/customers", { headers: { "user-agent": agent, cookie } });

describe("the request scope", () => {
  it("answers the headers and cookies of the request it runs for", async () => {
    const seen = await withRequestScope(request("a", "next-auth.session-token=one; other=x"), async () => ({
      agent: (await requestHeaders()).get("user-agent"),
      session: await requestCookie("next-auth.session-token"),
      missing: await requestCookie("absent"),
    }));
    expect(seen).toEqual({ agent: "a", session: "one", missing: undefined });
  });

  it("keeps concurrent requests apart across awaits", async () => {
    const answer = (name: string, delayMs: number) =>
      withRequestScope(request(name, `next-auth.session-token=${name}`), async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return `${(await requestHeaders()).get("user-agent")}:${await requestCookie("next-auth.session-token")}`;
      });
    expect(await Promise.all([answer("first", 20), answer("second", 1)])).toEqual(["first:first", "second:second"]);
  });

  it("outside a scope, reads Next's request store (and there is none here)", async () => {
    await expect(requestHeaders()).rejects.toThrow();
    await expect(requestCookie("next-auth.session-token")).rejects.toThrow();
  });
});
