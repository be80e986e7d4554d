import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  type Frontier,
  frontierAppend,
  frontierFromJson,
  frontierRanges,
  frontierRoot,
  frontierToJson,
  type Hash,
  inclusionProof,
  leafHash,
  nodeHash,
  rangeHashOf,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from "./tree";

const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The naive MTH of RFC 6962 §2.1, written out separately from the module's. */
function naiveRoot(data: readonly Uint8Array[]): Hash {
  if (data.length === 0) return sha();
  if (data.length === 1) return sha(Buffer.of(0), data[0] as Uint8Array);
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return sha(Buffer.of(1), naiveRoot(data.slice(0, k)), naiveRoot(data.slice(k)));
}

const leafData = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`event-${i}`));
const sizes = fc.integer({ min: 0, max: 300 });

describe("Merkle tree (RFC 6962 hashing)", () => {
  it("hashes leaves and nodes with the 0x00 / 0x01 prefixes", () => {
    expect(leafHash(Buffer.from("a")).equals(sha(Buffer.of(0), Buffer.from("a")))).toBe(true);
    const [l, r] = [sha(Buffer.from("l")), sha(Buffer.from("r"))];
    expect(nodeHash(l, r).equals(sha(Buffer.of(1), l, r))).toBe(true);
    expect(EMPTY_ROOT.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("matches the RFC 6962 reference tree roots (certificate-transparency-go test vectors)", () => {
    // Leaves and roots from certificate-transparency-go merkletree test data (sizes 1..8).
    const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => Buffer.from(h, "hex"));
    const roots = [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    roots.forEach((root, i) => expect(rootFromLeafHashes(leaves.slice(0, i + 1).map(leafHash)).toString("hex")).toBe(root));
  });

  it("root over the frontier equals the naive recomputation after every append", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 130 }), (n) => {
        const data = leafData(n);
        let f: Frontier = EMPTY_FRONTIER;
        for (let i = 0; i < n; i++) {
          f = frontierAppend(f, leafHash(data[i] as Buffer));
          expect(frontierRoot(f).equals(naiveRoot(data.slice(0, i + 1)))).toBe(true);
        }
        expect(f.hashes.length).toBe(frontierRanges(n).length);
        expect(frontierRoot(frontierFromJson(n, frontierToJson(f))).equals(naiveRoot(data))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("frontier subtrees are the naive roots of the ranges they cover", () => {
    fc.assert(
      fc.property(sizes, (n) => {
        const data = leafData(n);
        const f = data.reduce<Frontier>((acc, d) => frontierAppend(acc, leafHash(d)), EMPTY_FRONTIER);
        frontierRanges(n).forEach(([lo, hi], i) => expect(f.hashes[i]?.equals(naiveRoot(data.slice(lo, hi)))).toBe(true));
      }),
      { numRuns: 40 },
    );
  });

  it("rejects a stored frontier of the wrong shape", () => {
    expect(() => frontierFromJson(3, JSON.stringify(["00".repeat(32)]))).toThrow(/does not fit/);
    expect(() => frontierFromJson(1, JSON.stringify(["zz"]))).toThrow(/not a list/);
  });

  it("inclusion proofs verify for every leaf and fail for a wrong leaf, index or root", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        ([n, m]) => {
          const leaves = leafData(n).map(leafHash);
          const root = naiveRoot(leafData(n));
          const proof = inclusionProof(m, n, rangeHashOf(leaves));
          expect(verifyInclusion(m, n, leaves[m] as Hash, proof, root)).toBe(true);
          expect(verifyInclusion(m, n, leafHash(Buffer.from("forged")), proof, root)).toBe(false);
          if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaves[m] as Hash, proof, root)).toBe(false);
          expect(verifyInclusion(m, n, leaves[m] as Hash, proof, sha(Buffer.from("other")))).toBe(false);
          expect(verifyInclusion(m, n, leaves[m] as Hash, [...proof, root], root)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("consistency proofs verify between any two sizes and fail against a different history", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([m, n]) => {
          const data = leafData(n);
          const leaves = data.map(leafHash);
          const proof = consistencyProof(m, n, rangeHashOf(leaves));
          const [oldRoot, newRoot] = [naiveRoot(data.slice(0, m)), naiveRoot(data)];
          expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
          if (m > 0 && m < n) {
            // The same new tree, but an old tree with one leaf changed: no proof links them.
            const forged = [...data.slice(0, m)];
            forged[m - 1] = Buffer.from("forged");
            expect(verifyConsistency(m, n, naiveRoot(forged), newRoot, proof)).toBe(false);
            expect(verifyConsistency(m, n, oldRoot, sha(Buffer.from("x")), proof)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("proofs can be built from a frontier where old leaves are gone (after a purge)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }).chain((a) => fc.tuple(fc.constant(a), fc.integer({ min: a + 1, max: a + 100 }))),
        ([a, n]) => {
          const data = leafData(n);
          const leaves = data.map(leafHash);
          const anchor = leaves.slice(0, a).reduce<Frontier>((f, l) => frontierAppend(f, l), EMPTY_FRONTIER);
          const stored = new Map(frontierRanges(a).map(([lo, hi], i) => [`${lo}:${hi}`, anchor.hashes[i] as Hash]));
          const full = rangeHashOf(leaves);
          const range = (lo: number, hi: number): Hash => {
            const known = stored.get(`${lo}:${hi}`);
            if (known) return known;
            if (lo < a) {
              if (hi <= a) throw new Error(`needs purged range ${lo}:${hi}`);
              let k = 1;
              while (k * 2 < hi - lo) k *= 2;
              return nodeHash(range(lo, lo + k), range(lo + k, hi));
            }
            return full(lo, hi);
          };
          for (let m = a; m < n; m++) {
            expect(verifyInclusion(m, n, leaves[m] as Hash, inclusionProof(m, n, range), naiveRoot(data))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
