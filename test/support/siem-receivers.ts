// Test support (not a test file): real SIEM receivers. Debian's rsyslog (installed with apt-get when missing and
// we are root) listening with imtcp over TLS (gtls), writing what it receives to a file; and a node HTTPS webhook
// receiver that checks the HMAC signature and deduplicates by event id. Certificates come from the openssl CLI.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { connect } from "node:net";
import { join } from "node:path";

const RSYSLOGD = process.env.RSYSLOGD_PATH ?? "/usr/sbin/rsyslogd";
const GTLS_MODULE = "/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so";

/** Installs rsyslog and its TLS driver with apt-get when missing (root only), like scripts/ensure-chromium.mjs. */
function ensureRsyslog(): void {
  const hasGtls = () => existsSync(GTLS_MODULE) || spawnSync("sh", ["-c", "ls /usr/lib/*/rsyslog/lmnsd_gtls.so"]).status === 0;
  if (existsSync(RSYSLOGD) && hasGtls()) return;
  if (process.getuid?.() !== 0) throw new Error(`rsyslog with TLS is missing: install it with "sudo apt-get install -y rsyslog rsyslog-gnutls"`);
  const opts = { stdio: "inherit" as const, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  if (spawnSync("apt-get", ["install", "-y", "-qq", "rsyslog", "rsyslog-gnutls"], opts).status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], opts);
    if (spawnSync("apt-get", ["install", "-y", "-qq", "rsyslog", "rsyslog-gnutls"], opts).status !== 0)
      throw new Error("could not install rsyslog rsyslog-gnutls with apt-get");
  }
  if (!existsSync(RSYSLOGD)) throw new Error(`rsyslogd not found at ${RSYSLOGD} after installing`);
}

/** A self-signed certificate for 127.0.0.1 / localhost (it is its own CA): paths to cert.pem and key.pem. */
export function makeCertificate(dir: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface SyslogMessage {
  msgid: string;
  id: string;
  seq: number;
  ocsf: Record<string, unknown>;
}

export interface RsyslogReceiver {
  port: number;
  file: string;
  start(): Promise<void>;
  /** SIGKILL: whatever it had not written is gone, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  messages(): SyslogMessage[];
}

/** rsyslogd in the foreground with its own config, pid file and work dir under `dir`. */
export function rsyslogReceiver(dir: string, port: number, tls: { cert: string; key: string }): RsyslogReceiver {
  ensureRsyslog();
  const work = join(dir, "work");
  mkdirSync(work, { recursive: true });
  const file = join(dir, "received.log");
  const conf = join(dir, "rsyslog.conf");
  const pid = join(dir, "rsyslogd.pid");
  writeFileSync(
    conf,
    `global(
  workDirectory="${work}"
  maxMessageSize="256k"
  DefaultNetstreamDriver="gtls"
  DefaultNetstreamDriverCAFile="${tls.cert}"
  DefaultNetstreamDriverCertFile="${tls.cert}"
  DefaultNetstreamDriverKeyFile="${tls.key}"
)
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
input(type="imtcp" port="${port}" address="127.0.0.1")
template(name="received" type="string" string="%msgid%\\t%structured-data%\\t%msg%\\n")
action(type="omfile" file="${file}" template="received" flushOnTXEnd="on" asyncWriting="off")
`,
  );
  let child: ChildProcess | null = null;
  const stderr: string[] = [];
  const exited = () =>
    new Promise<void>((resolve) => (child && child.exitCode === null && child.signalCode === null ? child.once("exit", () => resolve()) : resolve()));
  return {
    port,
    file,
    async start() {
      child = spawn(RSYSLOGD, ["-n", "-f", conf, "-i", pid], { stdio: ["ignore", "ignore", "pipe"] });
      child.stderr?.on("data", (c: Buffer) => stderr.push(c.toString()));
      try {
        await waitForPort(port);
      } catch (err) {
        throw new Error(`rsyslogd did not start: ${stderr.join("")}`, { cause: err });
      }
    },
    async kill() {
      const done = exited();
      child?.kill("SIGKILL");
      await done;
    },
    async stop() {
      const done = exited();
      child?.kill("SIGTERM");
      await done;
    },
    messages() {
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.length > 0)
        .flatMap((line) => {
          const [msgid = "", sd = "", ...rest] = line.split("\t");
          const msg = rest.join("\t").trim();
          const id = /id="([^"]+)"/.exec(sd)?.[1] ?? "";
          const seq = Number(/seq="(\d+)"/.exec(sd)?.[1] ?? Number.NaN);
          try {
            return [{ msgid, id, seq, ocsf: JSON.parse(msg) as Record<string, unknown> }];
          } catch {
            // A line cut by a crash of the receiver: counted as not received (its event is sent again).
            return [];
          }
        });
    },
  };
}

export interface WebhookReceiver {
  port: number;
  /** Every event id received, in order of arrival, duplicates included. */
  received: string[];
  /** Distinct ids (what a deduplicating receiver keeps). */
  unique: Map<string, { seq: number; ocsf: Record<string, unknown> }>;
  badSignatures: number;
  /** While set, answers 503 (a receiver that is up but refusing). */
  refusing: boolean;
  close(): Promise<void>;
}

/** A node HTTPS server that checks x-devdraft-signature and deduplicates by event id. */
export async function webhookReceiver(port: number, tls: { cert: string; key: string }, secret: string): Promise<WebhookReceiver> {
  const state: WebhookReceiver = { port, received: [], unique: new Map(), badSignatures: 0, refusing: false, close: async () => {} };
  const server: Server = createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (state.refusing) {
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      const ts = String(req.headers["x-devdraft-timestamp"] ?? "");
      const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-devdraft-signature"] ?? ""));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const { events } = JSON.parse(body) as { events: { id: string; seq: number; ocsf: Record<string, unknown> }[] };
      for (const e of events) {
        state.received.push(e.id);
        if (!state.unique.has(e.id)) state.unique.set(e.id, { seq: e.seq, ocsf: e.ocsf });
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
