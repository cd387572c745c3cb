// The CSV cells spreadsheets open cleanly: quoting, formula neutralizing, the BOM and CRLF, row by row or whole.
import { describe, expect, it } from "vitest";
import { CSV_BOM, csvRow } from "~/lib/csv";

describe("CSV", () => {
  it("quotes awkward cells and keeps formulas text", () => {
    expect(
      csvRow(["plain", 'say "hi"', "a,b", "two\r\nlines", "=SUM(A1)", "+1", "-1", "@x", "\tx", null, true, 3]),
    ).toBe(`plain,"say ""hi""","a,b","two\r\nlines",'=SUM(A1),'+1,'-1,'@x,'\tx,,true,3\r\n`);
    expect(csvRow(['=HYPERLINK("x")'])).toBe(`"'=HYPERLINK(""x"")"\r\n`);
  });

  it("is the BOM and then the rows, row by row", () => {
    const rows = [
      ["name", "email"],
      ["Ann", "ann@example.com"],
    ];
    expect(CSV_BOM + rows.map(csvRow).join("")).toBe(`${CSV_BOM}name,email\r\nAnn,ann@example.com\r\n`);
  });
});
