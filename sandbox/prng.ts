export type Random = () => number;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32: fast, seedable, 128-bit state; returns uint32 values. */
export function createUint32Source(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const next = createUint32Source(seed);
  return () => next() / 4294967296;
}

export function randomInt(random: Random, maxExclusive: number): number {
  return Math.floor(random() * maxExclusive);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[randomInt(random, items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex4(value: number): string {
  return (HEX_BYTES[(value >>> 8) & 0xff] ?? "") + (HEX_BYTES[value & 0xff] ?? "");
}

/** A version-4-shaped UUID drawn from a seeded source, so ids repeat for a seed. */
export function seededUuid(next: () => number): string {
  const a = next();
  const b = (next() & 0xffff0fff) | 0x00004000;
  const c = (next() & 0x3fffffff) | 0x80000000;
  const d = next();
  return `${hex4(a >>> 16)}${hex4(a)}-${hex4(b >>> 16)}-${hex4(b)}-${hex4(c >>> 16)}-${hex4(c)}${hex4(d >>> 16)}${hex4(d)}`;
}
