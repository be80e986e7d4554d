import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "./csv";

describe("csvField", () => {
  it("leaves plain text and numbers as they are", () => {
    expect(csvField("customer.view")).toBe("customer.view");
    expect(csvField(42)).toBe("42");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
  });

  it("quotes fields holding a comma, a quote, CR or LF and doubles inner quotes (RFC 4180)", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField('{"id":"cus_1"}')).toBe('"{""id"":""cus_1""}"');
  });

  it.each(["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])("neutralises the formula start in %j", (cell) => {
    const out = csvField(cell);
    expect(out.replace(/^"/, "").startsWith("'")).toBe(true);
    expect(out).toContain(cell.replaceAll('"', '""'));
  });

  it("quotes a neutralised cell that also needs quoting", () => {
    expect(csvField("=1,2")).toBe(`"'=1,2"`);
    expect(csvField("\rx")).toBe(`"'\rx"`);
  });
});

describe("csvRecord", () => {
  it("joins fields with commas and ends with CRLF", () => {
    expect(csvRecord(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});
