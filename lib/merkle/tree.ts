// RFC 6962 / RFC 9162 §2.1 Merkle tree hashing, kept pure (no store, no server-only) so the offline proof checker
// (scripts/audit-check-proof.ts) can use it with nothing but node:crypto.
import { createHash } from "node:crypto";

export type Hash = Buffer;

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = createHash("sha256").digest();

/** leaf = SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Hash {
  return createHash("sha256").update(Buffer.of(0)).update(data).digest();
}

/** node = SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The hash of the subtree over leaves [lo, hi), answered by whoever holds the tree's data: from all leaf hashes
 * (naive), or from leaf hashes plus stored subtree hashes where old leaves are gone (after a retention purge).
 */
export type RangeHash = (lo: number, hi: number) => Hash;

/** MTH(D[n]) over already-hashed leaves, by the definition (recursion at the largest power of two). */
export function rootFromLeafHashes(leaves: readonly Hash[]): Hash {
  return leaves.length === 0 ? EMPTY_ROOT : rangeHashOf(leaves)(0, leaves.length);
}

/** A RangeHash over an array of leaf hashes (index 0 is leaf 0). */
export function rangeHashOf(leaves: readonly Hash[]): RangeHash {
  const hash: RangeHash = (lo, hi) => {
    if (hi - lo === 1) {
      const leaf = leaves[lo];
      if (!leaf) throw new RangeError(`leaf ${lo} is not available`);
      return leaf;
    }
    const k = splitPoint(hi - lo);
    return nodeHash(hash(lo, lo + k), hash(lo + k, hi));
  };
  return hash;
}

// ---- The frontier: the right edge of the tree, one perfect subtree per set bit of the size, largest first. ----

export interface Frontier {
  size: number;
  /** Roots of the perfect subtrees covering [0, size), left to right (largest first). At most 64 entries. */
  hashes: Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

/** The frontier after appending one leaf hash; O(log n) in the worst case, O(1) amortised. */
export function frontierAppend(frontier: Frontier, leaf: Hash): Frontier {
  const hashes = [...frontier.hashes];
  let h = leaf;
  for (let n = frontier.size; n % 2 === 1; n = Math.floor(n / 2)) {
    const left = hashes.pop();
    if (!left) throw new Error("frontier is inconsistent with its size");
    h = nodeHash(left, h);
  }
  hashes.push(h);
  return { size: frontier.size + 1, hashes };
}

/** In-place variant for long walks (verification, migration backfill). */
export function frontierPush(frontier: Frontier, leaf: Hash): void {
  let h = leaf;
  for (let n = frontier.size; n % 2 === 1; n = Math.floor(n / 2)) {
    const left = frontier.hashes.pop();
    if (!left) throw new Error("frontier is inconsistent with its size");
    h = nodeHash(left, h);
  }
  frontier.hashes.push(h);
  frontier.size += 1;
}

/** MTH of the whole tree the frontier describes: fold the subtrees right to left. */
export function frontierRoot(frontier: Frontier): Hash {
  const { hashes } = frontier;
  if (hashes.length === 0) return EMPTY_ROOT;
  let h = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i] as Hash, h);
  return h;
}

/** The leaf ranges the frontier's subtrees cover, left to right. */
export function frontierRanges(size: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let lo = 0;
  for (let bit = 2 ** 52; bit >= 1; bit /= 2) {
    if (Math.floor(size / bit) % 2 === 1) {
      ranges.push([lo, lo + bit]);
      lo += bit;
    }
  }
  return ranges;
}

/** Whether a frontier is well formed for its size (right number of entries, 32 bytes each). */
function frontierIsWellFormed(frontier: Frontier): boolean {
  return (
    Number.isSafeInteger(frontier.size) &&
    frontier.size >= 0 &&
    frontierRanges(frontier.size).length === frontier.hashes.length &&
    frontier.hashes.every((h) => h.length === 32)
  );
}

export function frontierToJson(frontier: Frontier): string {
  return JSON.stringify(frontier.hashes.map((h) => h.toString("hex")));
}

/** Parses a stored frontier (a JSON array of hex hashes) for a tree of `size` leaves; throws when malformed. */
export function frontierFromJson(size: number, text: string): Frontier {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((h) => typeof h === "string" && /^[0-9a-f]{64}$/.test(h))) {
    throw new Error("stored Merkle frontier is not a list of SHA-256 hashes");
  }
  const frontier = { size, hashes: parsed.map((h: string) => Buffer.from(h, "hex")) };
  if (!frontierIsWellFormed(frontier)) throw new Error(`stored Merkle frontier does not fit a tree of ${size} leaves`);
  return frontier;
}

// ---- Proofs (RFC 9162 §2.1.3 and §2.1.4). ----

/** PATH(m, D[lo:hi]) for leaf m (absolute index), innermost sibling first. */
export function inclusionProof(index: number, size: number, range: RangeHash): Hash[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is outside a tree of ${size}`);
  const path = (m: number, lo: number, hi: number): Hash[] => {
    if (hi - lo <= 1) return [];
    const k = splitPoint(hi - lo);
    return m < lo + k ? [...path(m, lo, lo + k), range(lo + k, hi)] : [...path(m, lo + k, hi), range(lo, lo + k)];
  };
  return path(index, 0, size);
}

/** RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its inclusion proof. */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: readonly Hash[]): Hash | null {
  if (!(index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && computed.equals(root);
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function consistencyProof(oldSize: number, newSize: number, range: RangeHash): Hash[] {
  if (!(oldSize >= 0 && oldSize <= newSize)) throw new RangeError(`no consistency proof from ${oldSize} to ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): Hash[] => {
    const n = hi - lo;
    if (m === n) return whole ? [] : [range(lo, hi)];
    const k = splitPoint(n);
    return m <= k ? [...sub(m, lo, lo + k, whole), range(lo + k, hi)] : [...sub(m - k, lo + k, hi, false), range(lo, lo + k)];
  };
  return sub(oldSize, 0, newSize, true);
}

/** RFC 9162 §2.1.4.2. */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Hash, newRoot: Hash, proof: readonly Hash[]): boolean {
  if (oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (oldSize === 0) return proof.length === 0;
  const path = [...proof];
  // If oldSize is an exact power of two, the old root itself is the first node.
  if (Number.isInteger(Math.log2(oldSize))) path.unshift(oldRoot);
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const first = path.shift();
  if (!first) return false;
  let fr = first;
  let sr = first;
  for (const c of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}
