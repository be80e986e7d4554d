import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("behind one proxy takes the address it appended, not what the client wrote before it", () => {
    expect(clientAddress("6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("203.0.113.7", 1)).toBe("203.0.113.7");
  });
  it("behind two proxies takes the second entry from the right", () => {
    expect(clientAddress("1.1.1.1, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
  });
  it("with fewer entries than trusted proxies takes the leftmost there is", () => {
    expect(clientAddress("203.0.113.7", 3)).toBe("203.0.113.7");
  });
  it("a forged list of any length cannot move the address the proxy appended", () => {
    const forged = Array.from({ length: 50 }, (_, i) => `10.9.${i}.1`).join(", ");
    expect(clientAddress(`${forged}, 198.51.100.4`, 1)).toBe("198.51.100.4");
  });
  it("no header, or an empty one, is 'unknown'", () => {
    expect(clientAddress(undefined, 1)).toBe("unknown");
    expect(clientAddress(" , ", 1)).toBe("unknown");
  });
});
