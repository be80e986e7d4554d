import { describe, expect, it } from "vitest";
import { toCsvRow, UTF8_BOM } from "./csv";

describe("toCsvRow", () => {
  it("neutralises cells a spreadsheet would run as a formula with a leading apostrophe", () => {
    expect(toCsvRow(["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx", "safe"])).toBe(`'=SUM(A1),'+1,'-2+3,'@cmd,'\tx,"'\rx",safe\r\n`);
  });

  it("keeps plain numbers as numbers, negatives included, and empties as empty", () => {
    expect(toCsvRow([1234.5, -3, null, undefined, ""])).toBe("1234.5,-3,,,\r\n");
  });

  it("quotes per RFC 4180: commas, quotes and line breaks, with quotes doubled", () => {
    expect(toCsvRow(["a,b", 'say "hi"', "two\nlines", "plain"])).toBe('"a,b","say ""hi""","two\nlines",plain\r\n');
  });

  it("quotes a neutralised formula that also holds a comma", () => {
    expect(toCsvRow(['=HYPERLINK("http://x","y")'])).toBe(`"'=HYPERLINK(""http://x"",""y"")"\r\n`);
  });

  it("keeps non-ASCII text as it is, and the BOM is the UTF-8 byte-order mark", () => {
    expect(toCsvRow(["Zoë", "東京"])).toBe("Zoë,東京\r\n");
    expect(Buffer.from(UTF8_BOM, "utf8")).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
