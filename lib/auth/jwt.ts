import { hkdfSync, randomUUID } from "node:crypto";
import { EncryptJWT, jwtDecrypt, type JWTPayload } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

// next-auth's own token format (dir + A256GCM, key by HKDF from the secret), with the derived key kept
// instead of derived again on every request: the derivation was a tenth of the portal's CPU per request.
const keys = new Map<string, Uint8Array>();

function keyFor(secret: string | Buffer, salt = ""): Uint8Array {
  const id = `${salt}\u0000${secret.toString()}`;
  let key = keys.get(id);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Uint8Array(hkdfSync("sha256", secret, salt, info, 32));
    keys.set(id, key);
  }
  return key;
}

export async function encodeSessionToken({ token = {}, secret, maxAge = 30 * 24 * 60 * 60, salt = "" }: JWTEncodeParams): Promise<string> {
  const issued = Math.floor(Date.now() / 1000);
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(issued)
    .setExpirationTime(issued + maxAge)
    .setJti(randomUUID())
    .encrypt(keyFor(secret, salt));
}

export async function decodeSessionToken({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, keyFor(secret, salt), { clockTolerance: 15 });
  return payload satisfies JWTPayload;
}

/** The claims of a genuine token past its expiry (integrity still checked), to say whose session expired. */
export async function decodeExpiredSessionToken({ token, secret, salt = "" }: { token: string; secret: string; salt?: string }): Promise<JWTPayload> {
  const { payload } = await jwtDecrypt(token, keyFor(secret, salt), { currentDate: new Date(0) });
  return payload;
}
