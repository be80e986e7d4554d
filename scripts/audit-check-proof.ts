// Checks an audit inclusion proof offline, with nothing but the log's public key: the checkpoint's signature, the
// event's row hash recomputed from its fields, and the Merkle path from that leaf to the signed root.
// Run: npm run audit:check-proof -- --proof FILE --key VERIFIER-KEY|FILE
// The key is the `<name>+<key id>+<base64>` verifier key the portal logs at start-up (or an Ed25519 SPKI PEM file).
// Exits 0 when the proof holds, 1 when it does not (one line says why), 2 on bad use.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { hashEvent } from "../lib/audit/hash";
import { leafHash, verifyInclusion } from "../lib/merkle/tree";
import { openCheckpoint, parseVerifierKey } from "../lib/audit/signed-note";

const { values } = parseArgs({ options: { proof: { type: "string" }, key: { type: "string" } } });
if (!values.proof || !values.key) {
  process.stderr.write("audit-check-proof: --proof FILE and --key VERIFIER-KEY are required\n");
  process.exit(2);
}
const fail = (why: string): never => {
  process.stdout.write(`proof INVALID: ${why}\n`);
  process.exit(1);
};

let proof: {
  event: Parameters<typeof hashEvent>[1] & { seq: number; hash: string; prev_hash: string };
  leaf_index: number;
  tree_size: number;
  hashes: string[];
  checkpoint: string;
};
let verifier: ReturnType<typeof parseVerifierKey>;
try {
  proof = JSON.parse(readFileSync(values.proof, "utf8"));
  const keyText = existsSync(values.key) ? readFileSync(values.key, "utf8") : values.key;
  const origin = proof.checkpoint.split("\n")[0] ?? "";
  verifier = parseVerifierKey(keyText, origin);
} catch (err) {
  process.stderr.write(`audit-check-proof: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}

const opened = openCheckpoint(proof.checkpoint, verifier);
if (!opened.ok) fail(`checkpoint: ${opened.reason}`);
const checkpoint = opened.ok ? opened.checkpoint : fail("checkpoint");
if (checkpoint.size !== proof.tree_size) fail(`the proof is for tree size ${proof.tree_size}, the checkpoint is ${checkpoint.size}`);
if (proof.leaf_index !== proof.event.seq - 1) fail(`leaf ${proof.leaf_index} is not event seq ${proof.event.seq}`);
if (hashEvent(proof.event.prev_hash, proof.event) !== proof.event.hash) fail("the event's fields do not hash to its row hash (edited)");
const leaf = leafHash(Buffer.from(proof.event.hash, "hex"));
const path = proof.hashes.map((h) => Buffer.from(h, "base64"));
if (!verifyInclusion(proof.leaf_index, proof.tree_size, leaf, path, checkpoint.root)) fail("the Merkle path does not lead to the signed root");
process.stdout.write(
  `proof OK: event ${proof.event.id} (seq ${proof.event.seq}) is leaf ${proof.leaf_index} of the ${checkpoint.size}-event tree signed by ${verifier.name} (root ${checkpoint.root.toString("base64")})\n`,
);
