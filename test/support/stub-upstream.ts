import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type StubReply = { status?: number; headers?: Record<string, string>; body?: unknown; raw?: string } | "hang";
type StubRequest = { url: string; headers: IncomingHttpHeaders };
export type StubUpstream = {
  url: string;
  requests: StubRequest[];
  /** Replies in order; the last one repeats. */
  reply(...replies: StubReply[]): void;
  close(): Promise<void>;
};

/** A tiny stand-in for Devdraft, started on port 0 inside a test. */
export async function startStubUpstream(): Promise<StubUpstream> {
  let replies: StubReply[] = [{ body: [] }];
  const requests: StubRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    if (reply === undefined || reply === "hang") return;
    const payload = reply.raw ?? JSON.stringify(reply.body ?? null);
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(...next) {
      replies = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
