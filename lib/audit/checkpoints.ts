import "server-only";
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Kysely } from "kysely";
import { z } from "zod";
import { optionalText, parseSettings, wholeNumber } from "@/lib/settings/fields";
import type { Database } from "../db/schema";
import { checkCosignatures, parseWitnessVerifierKey, type WitnessVerifier } from "./cosignature";
import { frontierFromJson, frontierRoot } from "@/lib/merkle/tree";
import { type Checkpoint, KEY_NAME, keyId, type NoteSigner, type NoteVerifier, openCheckpoint, signCheckpoint } from "./signed-note";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const CHECKPOINT_SUFFIX = ".checkpoint";
/** The witnesses' cosignatures go to a sibling `<checkpoint file>.cosigned`: the note with their lines appended. */
export const COSIGNED_SUFFIX = ".cosigned";

export interface WitnessSetting {
  url: string;
  verifier: WitnessVerifier;
}

/** `<url>|<vkey>` entries, comma-separated; each vkey a cosignature/v1 verifier key (type 0x04). */
function parseWitnesses(text: string, ctx: z.RefinementCtx): WitnessSetting[] {
  const out: WitnessSetting[] = [];
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const bar = entry.indexOf("|");
    const url = entry.slice(0, bar).replace(/\/+$/, "");
    try {
      if (bar < 0 || !/^https?:\/\/./.test(url)) throw new Error(`"${entry}" is not <http(s) url>|<witness vkey>`);
      new URL(url);
      out.push({ url, verifier: parseWitnessVerifierKey(entry.slice(bar + 1)) });
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `AUDIT_WITNESSES: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return out;
}

const checkpointEnv = z.object({
  /** The Ed25519 signing key: a file path, or the key itself (PKCS#8 PEM, or base64 of the 32-byte seed). */
  AUDIT_SIGNING_KEY: optionalText,
  /** Append-only directory the signed checkpoints go to (default: audit-checkpoints in the data directory). */
  AUDIT_CHECKPOINT_DIR: optionalText,
  /** How often the server signs a checkpoint (default and most: 30 s). */
  AUDIT_CHECKPOINT_INTERVAL_MS: wholeNumber("AUDIT_CHECKPOINT_INTERVAL_MS", 30_000, 1_000, 30_000, " (a checkpoint at least every 30 s)"),
  /** The log's origin line and key name. */
  AUDIT_CHECKPOINT_ORIGIN: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || "devdraft-portal/audit")
    .pipe(z.string().regex(KEY_NAME, "AUDIT_CHECKPOINT_ORIGIN must have no spaces and no '+'")),
  /** Witnesses to post every checkpoint to (C2SP tlog-witness): `<url>|<vkey>`, comma-separated; unset = none. */
  AUDIT_WITNESSES: z
    .string()
    .optional()
    .transform((v, ctx) => parseWitnesses(v ?? "", ctx)),
  /** Cosignatures a checkpoint should get; fewer is logged as an error (default 0: best effort). */
  AUDIT_WITNESS_QUORUM: wholeNumber("AUDIT_WITNESS_QUORUM", 0, 0, 100),
  /** How long the writer waits for one witness (default 3000 ms). */
  AUDIT_WITNESS_TIMEOUT_MS: wholeNumber("AUDIT_WITNESS_TIMEOUT_MS", 3_000, 100, 10_000, " (a witness must not hold up the next checkpoint)"),
  DATABASE_URL: z.string().optional(),
  PORTAL_DATA_DIR: z.string().optional(),
});

export interface CheckpointSettings {
  origin: string;
  dir: string;
  intervalMs: number;
  /** Where the key comes from: a file, the value itself, or a file generated on first start. */
  key: { kind: "file"; path: string } | { kind: "value"; text: string } | { kind: "generated"; path: string };
  /** The store is PostgreSQL (several hosts may share it): a generated key is a warning there. */
  shared: boolean;
  witnesses: WitnessSetting[];
  witnessQuorum: number;
  witnessTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Read when needed, never at import; one line per problem. */
export function readCheckpointSettings(env: Env = process.env): CheckpointSettings {
  const s = parseSettings(checkpointEnv, env);
  const dataDir = s.PORTAL_DATA_DIR?.trim() || ".data";
  // Paths from settings: keep Next's file tracing from following them into the whole project.
  const dir = resolve(/*turbopackIgnore: true*/ s.AUDIT_CHECKPOINT_DIR ?? join(dataDir, "audit-checkpoints"));
  const generatedPath = join(dirname(dir), "audit-signing-key.pem");
  let key: CheckpointSettings["key"];
  const raw = s.AUDIT_SIGNING_KEY;
  if (raw === undefined) key = { kind: "generated", path: generatedPath };
  else if (raw.startsWith("-----BEGIN") || /^[A-Za-z0-9+/]{43}=$/.test(raw)) key = { kind: "value", text: raw };
  else if (existsSync(raw) && statSync(raw).isFile()) key = { kind: "file", path: resolve(/*turbopackIgnore: true*/ raw) };
  else throw new Error("AUDIT_SIGNING_KEY must name a readable key file or hold an Ed25519 key (PKCS#8 PEM, or base64 of the 32-byte seed)");
  if (s.AUDIT_WITNESS_QUORUM > s.AUDIT_WITNESSES.length) {
    throw new Error(`AUDIT_WITNESS_QUORUM is ${s.AUDIT_WITNESS_QUORUM} but AUDIT_WITNESSES names ${s.AUDIT_WITNESSES.length} witnesses`);
  }
  return {
    origin: s.AUDIT_CHECKPOINT_ORIGIN,
    dir,
    intervalMs: s.AUDIT_CHECKPOINT_INTERVAL_MS,
    key,
    shared: Boolean(s.DATABASE_URL?.trim()),
    witnesses: s.AUDIT_WITNESSES,
    witnessQuorum: s.AUDIT_WITNESS_QUORUM,
    witnessTimeoutMs: s.AUDIT_WITNESS_TIMEOUT_MS,
  };
}

function privateKeyFrom(text: string, where: string) {
  try {
    const key = text.trim().startsWith("-----BEGIN")
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seedOf(text)]), format: "der", type: "pkcs8" });
    if (key.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 key");
    return key;
  } catch (err) {
    throw new Error(`AUDIT_SIGNING_KEY (${where}) is not an Ed25519 private key: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function seedOf(text: string): Buffer {
  const seed = Buffer.from(text.trim(), "base64");
  if (seed.length !== 32) throw new Error("a base64 seed must decode to 32 bytes");
  return seed;
}

export interface LoadedKey {
  signer: NoteSigner;
  /** Set when this call generated the key file. */
  generated: string | null;
}

/**
 * The signing key the settings name. A missing generated key is created (mode 0600) when `create` is set; several
 * processes starting at once end with one key (each writes a temporary file and links it into place; the first
 * link wins, the others read the winner's).
 */
export function loadSigningKey(settings: CheckpointSettings, { create }: { create: boolean }): LoadedKey | null {
  let generated: string | null = null;
  let text: string;
  let where: string;
  if (settings.key.kind === "value") {
    text = settings.key.text;
    where = "value";
  } else {
    const path = settings.key.path;
    where = path;
    if (settings.key.kind === "generated" && !existsSync(path)) {
      if (!create) return null;
      mkdirSync(dirname(path), { recursive: true });
      const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      writeFileSync(temp, pem, { mode: 0o600, flag: "wx" });
      try {
        linkSync(temp, path);
        generated = path;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      } finally {
        unlinkSync(temp);
      }
    }
    text = readFileSync(path, "utf8");
    if (generated) chmodSync(path, 0o600);
  }
  const privateKey = privateKeyFrom(text, where);
  const publicKey = createPublicKey(privateKey);
  return { signer: { name: settings.origin, privateKey, publicKey, keyId: keyId(settings.origin, publicKey) }, generated };
}

/** The tree the store holds now: size and root from the chain head's frontier. */
export async function readTreeHead(db: Kysely<Database>): Promise<{ size: number; root: Buffer }> {
  const head = await db.selectFrom("audit_chain_head").select(["seq", "merkle_frontier"]).where("id", "=", 1).executeTakeFirstOrThrow();
  return { size: head.seq, root: frontierRoot(frontierFromJson(head.seq, head.merkle_frontier)) };
}

/** `<size, 16 digits>-<UTC time>-<random>.checkpoint`: sorted by name is sorted by size, then time. */
function checkpointFileName(size: number, at: Date): string {
  const time = at.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${String(size).padStart(16, "0")}-${time}-${randomBytes(3).toString("hex")}${CHECKPOINT_SUFFIX}`;
}

/**
 * Writes one signed checkpoint as a new read-only file in the directory's UTC-day subdirectory (2,880 files a day
 * per instance at 30 s; a day per directory keeps listings short); never overwrites (open with `wx`). Returns its path.
 */
export function writeCheckpoint(dir: string, checkpoint: Checkpoint, signer: NoteSigner, at: Date = new Date()): string {
  const day = join(dir, at.toISOString().slice(0, 10));
  mkdirSync(day, { recursive: true, mode: 0o700 });
  const path = join(day, checkpointFileName(checkpoint.size, at));
  writeFileSync(path, signCheckpoint(checkpoint, signer), { flag: "wx", mode: 0o444 });
  return path;
}

export interface CheckpointFile {
  /** Path inside the checkpoint directory (`<day>/<name>`, or a bare name at the top level). */
  file: string;
  /** The time in the name (when it was signed); null when the name is not ours. */
  at: string | null;
  text: string;
  /** Parsed and signature-checked; `reason` says why not when `ok` is false. */
  ok: boolean;
  reason: string | null;
  checkpoint: Checkpoint | null;
  /** From the sibling `.cosigned` file, checked with the configured witness keys; null when there is none. */
  cosignatures: CheckpointCosignatures | null;
}

interface CheckpointCosignatures {
  /** The `.cosigned` file (path inside the checkpoint directory). */
  file: string;
  /** Names of the configured witnesses whose cosignature verifies. */
  cosigned: string[];
  /** Problems: a cosignature that does not verify (naming the witness), or a copy whose note is not the checkpoint's. */
  bad: string[];
  /** Signature lines by keys neither the log's nor configured (`<name>+<hex id>`): reported, not failed. */
  unknown: string[];
}

function timeFromName(file: string): string | null {
  const m = /^\d{16}-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(file);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

const DAY_DIR = /^\d{4}-\d{2}-\d{2}$/;
const byName = (a: string, b: string) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0);

/** Checkpoint paths at the top level and in the given day directories (all of them when `days` is null). */
function listFiles(dir: string, pickDays: (days: string[]) => string[]): string[] {
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir, { withFileTypes: true });
  const top = entries.filter((e) => e.isFile() && e.name.endsWith(CHECKPOINT_SUFFIX)).map((e) => e.name);
  const days = pickDays(
    entries
      .filter((e) => e.isDirectory() && DAY_DIR.test(e.name))
      .map((e) => e.name)
      .sort(),
  );
  const nested = days.flatMap((day) =>
    readdirSync(join(dir, day))
      .filter((f) => f.endsWith(CHECKPOINT_SUFFIX))
      .map((f) => `${day}/${f}`),
  );
  return [...top, ...nested].sort(byName);
}

/** Every checkpoint file in the directory (by name: size, then time), each checked against the verifier. */
export function readCheckpoints(
  dir: string,
  verifier: NoteVerifier,
  origin: string = verifier.name,
  witnesses: readonly WitnessVerifier[] = [],
): CheckpointFile[] {
  return listFiles(dir, (days) => days).map((file) => openFile(dir, file, verifier, origin, witnesses));
}

/** The newest checkpoint (the newest day's largest size, then latest time); null when there is none. */
function latestCheckpoint(
  dir: string,
  verifier: NoteVerifier,
  origin: string = verifier.name,
  witnesses: readonly WitnessVerifier[] = [],
): CheckpointFile | null {
  const file = listFiles(dir, (days) => days.slice(-1)).at(-1);
  return file ? openFile(dir, file, verifier, origin, witnesses) : null;
}

function openFile(dir: string, file: string, verifier: NoteVerifier, origin: string, witnesses: readonly WitnessVerifier[]): CheckpointFile {
  const text = readFileSync(join(dir, file), "utf8");
  const check = openCheckpoint(text, verifier, origin);
  const cosignedPath = join(dir, file + COSIGNED_SUFFIX);
  const cosignatures = existsSync(cosignedPath)
    ? readCosignatures(file + COSIGNED_SUFFIX, readFileSync(cosignedPath, "utf8"), text, verifier, witnesses)
    : null;
  return { file, at: timeFromName(basename(file)), text, ok: check.ok, reason: check.ok ? null : check.reason, checkpoint: check.checkpoint, cosignatures };
}

function readCosignatures(file: string, cosigned: string, original: string, log: NoteVerifier, witnesses: readonly WitnessVerifier[]): CheckpointCosignatures {
  if (!cosigned.startsWith(original)) return { file, cosigned: [], bad: [`${file} does not begin with the checkpoint note it cosigns`], unknown: [] };
  const report = checkCosignatures(cosigned, witnesses, [`${log.name}+${log.keyId.toString("hex")}`]);
  return {
    file,
    cosigned: [...new Set(report.checked.filter((c) => c.ok).map((c) => c.name))],
    bad: report.checked.filter((c) => !c.ok).map((c) => `the cosignature of witness ${c.name} in ${file} does not verify${c.reason ? ` (${c.reason})` : ""}`),
    unknown: report.unknown,
  };
}

/** Writes the cosigned copy of a checkpoint file (`<path>.cosigned`, read-only, never overwritten). */
export function writeCosigned(checkpointPath: string, note: string, lines: readonly string[]): string {
  const path = checkpointPath + COSIGNED_SUFFIX;
  writeFileSync(path, note + lines.join(""), { flag: "wx", mode: 0o444 });
  return path;
}

export interface CheckpointSource {
  settings: CheckpointSettings;
  verifier: NoteVerifier;
  /** Every checkpoint file, checked against the verifier (read when called). */
  read(): CheckpointFile[];
  latest(): CheckpointFile | null;
}

/** What verification needs from the environment; null when no key exists yet (so no checkpoint can either). */
export function checkpointSourceFromEnv(env: Env = process.env): CheckpointSource | null {
  const settings = readCheckpointSettings(env);
  const key = loadSigningKey(settings, { create: false });
  if (!key) return null;
  const verifier: NoteVerifier = { name: key.signer.name, keyId: key.signer.keyId, publicKey: key.signer.publicKey };
  return {
    settings,
    verifier,
    read: () =>
      readCheckpoints(
        settings.dir,
        verifier,
        settings.origin,
        settings.witnesses.map((w) => w.verifier),
      ),
    latest: () =>
      latestCheckpoint(
        settings.dir,
        verifier,
        settings.origin,
        settings.witnesses.map((w) => w.verifier),
      ),
  };
}
