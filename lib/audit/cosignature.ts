// C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), the Ed25519 `cosignature/v1` type: a witness's note
// signature over a checkpoint, `— <name> base64(key id(4) || timestamp(8, big-endian) || Ed25519 signature(64))`,
// signing "cosignature/v1\ntime <timestamp>\n" + the checkpoint body. Pure (node:crypto only).
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { KEY_NAME, keyId, type NoteVerifier, verifierKeyText } from "./signed-note";

/** Signature type byte of Ed25519 cosignature/v1 keys (key ids and vkeys). */
const COSIGNATURE_V1 = 0x04;
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** A witness's public side: the same shape as a note verifier, with the cosignature/v1 key id. */
export type WitnessVerifier = NoteVerifier;

export interface WitnessSigner extends WitnessVerifier {
  privateKey: KeyObject;
}

/** SHA-256(name || "\n" || 0x04 || 32-byte public key)[:4]: the note key id with the cosignature/v1 type. */
export function cosignatureKeyId(name: string, publicKey: KeyObject): Buffer {
  return keyId(name, publicKey, COSIGNATURE_V1);
}

/** `<name>+<hex key id>+<base64(0x04 || public key)>` (the signed-note vkey form with type 0x04). */
export function witnessVerifierKeyText(v: WitnessVerifier): string {
  return verifierKeyText(v, COSIGNATURE_V1);
}

export function parseWitnessVerifierKey(text: string): WitnessVerifier {
  const m = /^([^+]+)\+([^+]+)\+(.+)$/.exec(text.trim());
  if (!m) throw new Error("a witness verifier key reads <name>+<hex key id>+<base64(0x04 || 32-byte key)>");
  const [, name, hex, b64] = m as unknown as [string, string, string, string];
  const raw = Buffer.from(b64, "base64");
  if (!KEY_NAME.test(name) || !/^[0-9a-f]{8}$/.test(hex) || raw.length !== 33 || raw[0] !== COSIGNATURE_V1) {
    throw new Error(`"${text.trim()}" is not an Ed25519 cosignature/v1 verifier key (<name>+<hex key id>+<base64(0x04 || 32-byte key)>)`);
  }
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw.subarray(1)]), format: "der", type: "spki" });
  const keyId = cosignatureKeyId(name, publicKey);
  if (keyId.toString("hex") !== hex) throw new Error(`the witness verifier key "${name}" has an id that does not match its name and key`);
  return { name, keyId, publicKey };
}

/** A witness signer from a PKCS#8 PEM or base64 of the 32-byte seed. */
export function witnessSignerFrom(name: string, keyText: string): WitnessSigner {
  if (!KEY_NAME.test(name)) throw new Error("a witness name has no spaces and no '+'");
  const t = keyText.trim();
  const privateKey = t.startsWith("-----BEGIN")
    ? createPrivateKey(t)
    : createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(t, "base64")]), format: "der", type: "pkcs8" });
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("the witness key is not an Ed25519 key");
  const publicKey = createPublicKey(privateKey);
  return { name, privateKey, publicKey, keyId: cosignatureKeyId(name, publicKey) };
}

/** The signed message: "cosignature/v1\ntime <t>\n" followed by the whole checkpoint body (with its final newline). */
function cosignatureMessage(body: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, "utf8");
}

/** One cosignature line (with its newline) over the checkpoint `body` at `timestamp` (POSIX seconds). */
export function cosign(body: string, signer: WitnessSigner, timestamp: number = Math.floor(Date.now() / 1000)): string {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, cosignatureMessage(body, timestamp), signer.privateKey);
  return `\u2014 ${signer.name} ${Buffer.concat([signer.keyId, ts, signature]).toString("base64")}\n`;
}

interface CosignatureCheck {
  /** The witness (configured key) the line names. */
  name: string;
  ok: boolean;
  /** POSIX seconds from the cosignature, when it parses. */
  timestamp: number | null;
  reason: string | null;
}

export interface CosignatureReport {
  /** One entry per signature line of a configured witness key (name and key id match). */
  checked: CosignatureCheck[];
  /** Signature lines by keys that are neither the log's nor a configured witness's: `<name>+<hex id>`. */
  unknown: string[];
}

/** Splits a signed note into its body (with the final newline) and its signature lines; null if it is not one. */
function splitNote(text: string): { body: string; lines: string[] } | null {
  const split = text.indexOf("\n\n");
  if (split < 0 || !text.endsWith("\n")) return null;
  return {
    body: text.slice(0, split + 1),
    lines: text
      .slice(split + 2, -1)
      .split("\n")
      .filter((l) => l !== ""),
  };
}

/**
 * Checks every signature line in `text` by a key in `witnesses`; lines by `ignore` (the log's own key, as
 * `<name>+<hex id>`) are skipped, others are reported as unknown.
 */
export function checkCosignatures(text: string, witnesses: readonly WitnessVerifier[], ignore: readonly string[] = []): CosignatureReport {
  const note = splitNote(text);
  const report: CosignatureReport = { checked: [], unknown: [] };
  if (!note) return report;
  for (const line of note.lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) continue;
    const [name, b64] = [m[1] as string, m[2] as string];
    const blob = Buffer.from(b64, "base64");
    const id = blob.subarray(0, 4).toString("hex");
    const witness = witnesses.find((w) => w.name === name && w.keyId.toString("hex") === id);
    if (!witness) {
      if (!ignore.includes(`${name}+${id}`)) report.unknown.push(`${name}+${id}`);
      continue;
    }
    if (blob.length !== 4 + 8 + 64) {
      report.checked.push({ name, ok: false, timestamp: null, reason: "not a cosignature/v1 signature (wrong length)" });
      continue;
    }
    const ts = blob.readBigUInt64BE(4);
    const timestamp = ts <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ts) : null;
    const ok = timestamp !== null && verify(null, cosignatureMessage(note.body, timestamp), witness.publicKey, blob.subarray(12));
    report.checked.push({ name, ok, timestamp, reason: ok ? null : "cosignature does not verify" });
  }
  return report;
}
