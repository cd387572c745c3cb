import { describe, expect, it } from "vitest";
import { stripChunkPadding } from "~/lib/html-stream.server";

describe("React 18.3's chunk padding", () => {
  it("drops the zero bytes React leaves at the end of a full 2,048-byte chunk", () => {
    const text = Buffer.from("a".repeat(2046));
    const padded = Buffer.concat([text, Buffer.alloc(2)]);
    expect(stripChunkPadding(padded)).toEqual(text);
  });

  it("leaves other chunks alone", () => {
    const short = Buffer.from([0x61, 0x00]);
    expect(stripChunkPadding(short)).toBe(short);
    const full = Buffer.from("b".repeat(2048));
    expect(stripChunkPadding(full)).toBe(full);
  });
});
