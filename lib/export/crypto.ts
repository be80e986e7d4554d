import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

// Encryption at rest of export pages: AES-256-GCM under a random per-job data key; the data key is stored only
// wrapped (AES-256-GCM again) under the portal's export key, which is derived from a setting every instance shares.
// Every ciphertext is bound to where it belongs (job id, page number) by the GCM additional data.

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type PortalExportKey = { key: Buffer; id: string };

/**
 * The portal's export key: HKDF-SHA256 of EXPORT_ENCRYPTION_KEY when set, else of NEXTAUTH_SECRET (which every
 * instance must share for sessions anyway), with its own label so it is never the session key itself.
 */
export function portalExportKey(secret: string): PortalExportKey {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "devdraft-portal export key v1", 32));
  const id = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return { key, id };
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new ExportKeyError("an encrypted export page is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ExportKeyError("an export page or key does not authenticate (wrong key, or altered in the store)");
  }
}

/** A fresh data key for one job, and its wrapped form for the store. */
export function newJobKey(portal: PortalExportKey, jobId: string): { dataKey: Buffer; wrapped: string } {
  const dataKey = randomBytes(32);
  return { dataKey, wrapped: seal(portal.key, dataKey, `export-key:${jobId}`) };
}

/** The job's data key; a clear error when the row was wrapped under another portal key. */
export function unwrapJobKey(portal: PortalExportKey, jobId: string, wrapped: string, keyId: string): Buffer {
  if (keyId !== portal.id) {
    throw new ExportKeyError(
      "this export was encrypted under another export key (EXPORT_ENCRYPTION_KEY, or NEXTAUTH_SECRET when it is unset, differs between instances or was changed)",
    );
  }
  return open(portal.key, wrapped, `export-key:${jobId}`);
}

export function sealPage(dataKey: Buffer, jobId: string, page: number, plaintext: string): string {
  return seal(dataKey, Buffer.from(plaintext, "utf8"), `export-page:${jobId}:${page}`);
}

export function openPage(dataKey: Buffer, jobId: string, page: number, sealed: string): Buffer {
  return open(dataKey, sealed, `export-page:${jobId}:${page}`);
}

export class ExportKeyError extends Error {
  override name = "ExportKeyError";
}
