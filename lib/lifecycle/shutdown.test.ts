// The shutdown sequence on a real HTTP server (the one scripts/server.mjs would publish): readiness first, then the
// listener, the requests in flight, the hooks in order, the stores, the exit code; and the deadline.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isReady, onShutdown, onShutdownCloseStores, shutdown } from "./shutdown";
import { processScope } from "@/lib/process-scope";

// The state lib/lifecycle/shutdown.ts keeps for the process (and scripts/server.mjs shares).
const slot = processScope<{ lifecycle?: { listenerClosed: boolean }; http?: { server: Server; inFlight: Set<ServerResponse> } }>(
  "lifecycle/shutdown",
  () => ({}),
);

const quiet = { info: () => {}, error: () => {} };

async function serve(handler: (res: ServerResponse) => void) {
  const inFlight = new Set<ServerResponse>();
  const server = createServer((_req, res) => {
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    if (slot.lifecycle?.listenerClosed) {
      res.writeHead(503, { Connection: "close" }).end();
      return;
    }
    handler(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  slot.http = { server, inFlight };
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

afterEach(() => {
  slot.http?.server.closeAllConnections();
  slot.http?.server.close();
  slot.http = undefined;
  slot.lifecycle = undefined;
});

describe("shutdown", () => {
  it("turns readiness off while still serving, closes the listener, lets requests finish, runs hooks in order, exits 0", async () => {
    const order: string[] = [];
    let finishSlow: (() => void) | null = null;
    const { url } = await serve((res) => {
      if (res.req.url === "/slow") finishSlow = () => res.end("slow done");
      else res.end("ok");
    });
    onShutdown("final checkpoint", () => void order.push("checkpoint"), "final");
    onShutdown("audit recorder", async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push("recorder");
    });
    onShutdown("outbox", () => void order.push("outbox"));
    onShutdownCloseStores(async () => void order.push("stores"));
    let exitCode: number | null = null;

    const slow = fetch(`${url}/slow`).then((r) => r.text());
    while (!finishSlow) await new Promise((r) => setTimeout(r, 5));
    expect(isReady()).toBe(true);
    const done = shutdown("SIGTERM", { deadlineMs: 10_000, readinessGraceMs: 300, log: quiet, exit: (c) => (exitCode = c) });
    expect(isReady()).toBe(false);
    // The grace: still served.
    expect(await (await fetch(`${url}/`)).text()).toBe("ok");
    // Then the listener closes: new connections are refused while the slow request is still in flight.
    let refused = false;
    for (let i = 0; i < 200 && !refused; i++) {
      refused = await fetch(`${url}/`, { headers: { connection: "close" } }).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 10));
    }
    expect(refused).toBe(true);
    expect(order).toEqual([]);
    (finishSlow as unknown as () => void)();
    expect(await slow).toBe("slow done");
    await done;
    expect(order).toEqual(["recorder", "outbox", "checkpoint", "stores"]);
    expect(exitCode).toBe(0);
  });

  it("cuts off a request that outlives the deadline, still runs the hooks and closes the stores, and exits 1", async () => {
    const order: string[] = [];
    const { url } = await serve(() => {
      // Never answers.
    });
    onShutdown("final checkpoint", () => void order.push("checkpoint"), "final");
    onShutdownCloseStores(async () => void order.push("stores"));
    const hung = fetch(`${url}/hang`).then(
      () => "answered",
      () => "cut off",
    );
    await new Promise((r) => setTimeout(r, 50));
    let exitCode: number | null = null;
    const started = Date.now();
    await shutdown("SIGTERM", { deadlineMs: 1_000, readinessGraceMs: 100, log: quiet, exit: (c) => (exitCode = c) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await hung).toBe("cut off");
    expect(order).toEqual(["checkpoint", "stores"]);
    expect(exitCode).toBe(1);
  });

  it("without a published listener (next dev) skips the grace and runs the hooks at once", async () => {
    const order: string[] = [];
    onShutdown("final checkpoint", () => void order.push("checkpoint"), "final");
    onShutdownCloseStores(async () => void order.push("stores"));
    let exitCode: number | null = null;
    const started = Date.now();
    await shutdown("SIGTERM", { deadlineMs: 60_000, readinessGraceMs: 30_000, log: quiet, exit: (c) => (exitCode = c) });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(isReady()).toBe(false);
    expect(order).toEqual(["checkpoint", "stores"]);
    expect(exitCode).toBe(0);
  });
});
