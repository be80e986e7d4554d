// A test/ops C2SP tlog-witness: cosigns the audit log's checkpoints it can verify as consistent (lib/audit/witness.ts).
// Not part of the portal. Prints one line when listening: `witness <name> listening on <url> vkey <verifier key>`.
// Run: npm run witness -- --port P --key FILE --log-vkey VKEY [--log-vkey VKEY2] --state FILE [--name NAME]
// The key file (PKCS#8 PEM, or base64 of a 32-byte seed) is generated (mode 0600) when missing.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { witnessSignerFrom, witnessVerifierKeyText } from "../lib/audit/cosignature";
import { parseVerifierKey } from "../lib/audit/signed-note";
import { createWitness, serveWitness } from "../lib/audit/witness";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    key: { type: "string" },
    name: { type: "string", default: "witness.devdraft.test/w1" },
    "log-vkey": { type: "string", multiple: true },
    state: { type: "string" },
  },
});

try {
  if (!values.key || !values.state || !values["log-vkey"]?.length) throw new Error("--key FILE, --state FILE and at least one --log-vkey VKEY are required");
  if (!existsSync(values.key)) {
    writeFileSync(values.key, generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(), { mode: 0o600, flag: "wx" });
  }
  const signer = witnessSignerFrom(values.name, readFileSync(values.key, "utf8"));
  const logs = values["log-vkey"].map((v) => parseVerifierKey(existsSync(v) ? readFileSync(v, "utf8") : v));
  const witness = createWitness({ signer, logs, stateFile: values.state });
  const server = await serveWitness(witness, { port: Number(values.port), host: values.host });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : Number(values.port);
  process.stdout.write(`witness ${signer.name} listening on http://${values.host}:${port} vkey ${witnessVerifierKeyText(signer)}\n`);
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} catch (err) {
  process.stderr.write(`witness: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
