// C2SP signed notes (https://c2sp.org/signed-note) carrying tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint),
// Ed25519 only. Pure (node:crypto only, no server-only) so the offline proof checker can use it.
import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/** Signature type byte for Ed25519 in C2SP signed-note key ids. */
const ED25519 = 0x01;
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const EM_DASH = "\u2014";

export interface NoteVerifier {
  name: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

export interface NoteSigner extends NoteVerifier {
  privateKey: KeyObject;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** Key names and origins: non-empty, no whitespace, no "+" (C2SP signed-note). */
export const KEY_NAME = /^[^\s+]+$/;

export function rawPublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_ED25519_PREFIX.length);
}

/**
 * First 4 bytes of SHA-256(name || 0x0A || type || public key): a note signer's key id (type 0x01, Ed25519) or a
 * witness's (0x04, cosignature/v1).
 */
export function keyId(name: string, publicKey: KeyObject, type: number = ED25519): Buffer {
  return createHash("sha256").update(Buffer.from(name, "utf8")).update(Buffer.of(0x0a, type)).update(rawPublicKey(publicKey)).digest().subarray(0, 4);
}

/** The verifier key in the C2SP/Go `note` text form: `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export function verifierKeyText(v: NoteVerifier, type: number = ED25519): string {
  return `${v.name}+${v.keyId.toString("hex")}+${Buffer.concat([Buffer.of(type), rawPublicKey(v.publicKey)]).toString("base64")}`;
}

/** Parses a verifier key (`name+hexid+base64` or an SPKI PEM with the name given separately). */
export function parseVerifierKey(text: string, nameForPem?: string): NoteVerifier {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) {
    if (!nameForPem) throw new Error("a PEM public key needs the key name (the checkpoint origin) beside it");
    const publicKey = createPublicKey(trimmed);
    if (publicKey.asymmetricKeyType !== "ed25519") throw new Error("the public key is not an Ed25519 key");
    return { name: nameForPem, publicKey, keyId: keyId(nameForPem, publicKey) };
  }
  // The name and the hex id hold no "+"; the base64 key may.
  const m = /^([^+]+)\+([^+]+)\+(.+)$/.exec(trimmed);
  if (!m) throw new Error("a verifier key reads <name>+<hex key id>+<base64 key>");
  const [, name, hex, b64] = m as unknown as [string, string, string, string];
  const raw = Buffer.from(b64, "base64");
  if (!KEY_NAME.test(name) || !/^[0-9a-f]{8}$/.test(hex) || raw.length !== 33 || raw[0] !== ED25519) {
    throw new Error("not an Ed25519 verifier key (<name>+<hex key id>+<base64(0x01 || 32-byte key)>)");
  }
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw.subarray(1)]), format: "der", type: "spki" });
  const verifier = { name, publicKey, keyId: keyId(name, publicKey) };
  if (verifier.keyId.toString("hex") !== hex) throw new Error("the verifier key's id does not match its name and key");
  return verifier;
}

/** The checkpoint body: origin, tree size, base64 root hash, each on its own line. */
export function checkpointBody({ origin, size, root }: Checkpoint): string {
  return `${origin}\n${size}\n${root.toString("base64")}\n`;
}

export function signNote(body: string, signer: NoteSigner): string {
  const signature = sign(null, Buffer.from(body, "utf8"), signer.privateKey);
  return `${body}\n${EM_DASH} ${signer.name} ${Buffer.concat([signer.keyId, signature]).toString("base64")}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  return signNote(checkpointBody(checkpoint), signer);
}

export type NoteCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string; checkpoint: Checkpoint | null };

/**
 * Parses a signed checkpoint and checks it against `verifier`: the body must be a checkpoint for `origin`, and a
 * signature line with the verifier's name and key id must verify. Lines by other keys are ignored (C2SP).
 */
export function openCheckpoint(text: string, verifier: NoteVerifier, origin: string = verifier.name): NoteCheck {
  const split = text.indexOf("\n\n");
  if (split < 0 || !text.endsWith("\n")) return { ok: false, reason: "not a signed note", checkpoint: null };
  const body = text.slice(0, split + 1);
  const lines = body.slice(0, -1).split("\n");
  const [noteOrigin, sizeText, rootText] = lines;
  const root = Buffer.from(rootText ?? "", "base64");
  if (lines.length < 3 || !noteOrigin || !/^(0|[1-9][0-9]*)$/.test(sizeText ?? "") || root.length !== 32 || root.toString("base64") !== rootText) {
    return { ok: false, reason: "not a tlog checkpoint body", checkpoint: null };
  }
  const checkpoint = { origin: noteOrigin, size: Number(sizeText), root };
  if (!Number.isSafeInteger(checkpoint.size)) return { ok: false, reason: "tree size out of range", checkpoint: null };
  if (noteOrigin !== origin) return { ok: false, reason: `origin is "${noteOrigin}", expected "${origin}"`, checkpoint };
  let sawKey = false;
  for (const line of text.slice(split + 2, -1).split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return { ok: false, reason: "malformed signature line", checkpoint };
    const blob = Buffer.from(m[2] as string, "base64");
    if (m[1] !== verifier.name || blob.length < 4 || !blob.subarray(0, 4).equals(verifier.keyId)) continue;
    sawKey = true;
    if (!verify(null, Buffer.from(body, "utf8"), verifier.publicKey, blob.subarray(4))) {
      return { ok: false, reason: "signature does not verify", checkpoint };
    }
  }
  return sawKey ? { ok: true, checkpoint } : { ok: false, reason: `not signed by key ${verifier.name}+${verifier.keyId.toString("hex")}`, checkpoint };
}
