import { createHash, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkCosignatures, cosign, cosignatureKeyId, parseWitnessVerifierKey, witnessSignerFrom, witnessVerifierKeyText } from "./cosignature";
import { rawPublicKey } from "./signed-note";

const pem = () => generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const body = "example.test/audit\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const logLine = "\u2014 example.test/audit AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

describe("C2SP cosignature/v1 (Ed25519)", () => {
  it("computes the key id as SHA-256(name || \\n || 0x04 || public key)[:4] and round-trips the vkey", () => {
    const w = witnessSignerFrom("witness.example/w1", pem());
    const expected = createHash("sha256")
      .update(Buffer.concat([Buffer.from("witness.example/w1\n"), Buffer.of(4), rawPublicKey(w.publicKey)]))
      .digest()
      .subarray(0, 4);
    expect(cosignatureKeyId(w.name, w.publicKey).equals(expected)).toBe(true);
    expect(w.keyId.equals(expected)).toBe(true);
    const vkey = witnessVerifierKeyText(w);
    expect(vkey).toMatch(new RegExp(`^witness\\.example/w1\\+${expected.toString("hex")}\\+B[A-Za-z0-9+/]{43}$`));
    const parsed = parseWitnessVerifierKey(vkey);
    expect(parsed.keyId.equals(expected)).toBe(true);
    expect(rawPublicKey(parsed.publicKey).equals(rawPublicKey(w.publicKey))).toBe(true);
    // A signed-note (type 0x01) key is not a cosigner key, and a wrong id is refused.
    // The base64 key may hold "+": only the first two separate the fields.
    const [name, id] = vkey.split("+") as [string, string];
    const raw = Buffer.from(vkey.slice(name.length + id.length + 2), "base64");
    raw[0] = 0x01;
    const asNote = `${name}+${id}+${raw.toString("base64")}`;
    expect(() => parseWitnessVerifierKey(asNote)).toThrow(/not an Ed25519 cosignature\/v1 verifier key/);
    expect(() => parseWitnessVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, "+00000000+"))).toThrow(/does not match/);
  });

  it("signs key id || big-endian timestamp || signature over 'cosignature/v1\\ntime <t>\\n' + the checkpoint body", () => {
    const w = witnessSignerFrom("witness.example/w1", pem());
    const line = cosign(body, w, 1679315147);
    const m = /^\u2014 witness\.example\/w1 ([A-Za-z0-9+/=]+)\n$/.exec(line);
    expect(m).not.toBeNull();
    const blob = Buffer.from(m?.[1] ?? "", "base64");
    expect(blob).toHaveLength(76);
    expect(blob.subarray(0, 4).equals(w.keyId)).toBe(true);
    expect(blob.subarray(4, 12).toString("hex")).toBe((1679315147).toString(16).padStart(16, "0"));
    const message = Buffer.from(`cosignature/v1\ntime 1679315147\n${body}`);
    expect(verify(null, message, w.publicKey, blob.subarray(12))).toBe(true);

    const note = `${body}\n${logLine}${line}`;
    expect(checkCosignatures(note, [w], ["example.test/audit+00000000"])).toEqual({
      checked: [{ name: w.name, ok: true, timestamp: 1679315147, reason: null }],
      unknown: [],
    });
  });

  it("fails when the timestamp, the body or the signature is changed, and reports keys not configured", () => {
    const w = witnessSignerFrom("witness.example/w1", pem());
    const other = witnessSignerFrom("witness.example/w2", pem());
    const line = cosign(body, w, 1679315147);
    const blob = Buffer.from(line.slice(line.lastIndexOf(" ") + 1, -1), "base64");
    const retimed = Buffer.from(blob);
    retimed.writeBigUInt64BE(1679315148n, 4);
    const lineWith = (b: Buffer) => `\u2014 ${w.name} ${b.toString("base64")}\n`;
    expect(checkCosignatures(`${body}\n${lineWith(retimed)}`, [w]).checked[0]).toMatchObject({ ok: false, timestamp: 1679315148 });
    expect(checkCosignatures(`${body.replace("42", "43")}\n${line}`, [w]).checked[0]).toMatchObject({ ok: false });
    const flipped = Buffer.from(blob);
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    expect(checkCosignatures(`${body}\n${lineWith(flipped)}`, [w]).checked[0]).toMatchObject({ ok: false, reason: "cosignature does not verify" });
    // Only the configured key is checked; another witness's line is reported as unknown, the log's own is skipped.
    const report = checkCosignatures(`${body}\n${logLine}${line}${cosign(body, other)}`, [w], ["example.test/audit+00000000"]);
    expect(report.checked).toEqual([expect.objectContaining({ name: w.name, ok: true })]);
    expect(report.unknown).toEqual([`${other.name}+${other.keyId.toString("hex")}`]);
  });
});
