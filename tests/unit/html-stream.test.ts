import { describe, expect, it } from "vitest";
import { htmlBodyStream, stripChunkPadding } from "~/lib/html-stream.server";

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

describe("the page's body stream", () => {
  it("passes on what was written in one turn as one chunk, without padding, and later writes after them", async () => {
    const stream = htmlBodyStream();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    stream.write(Buffer.concat([Buffer.from("a".repeat(2046)), Buffer.alloc(2)]));
    stream.write(Buffer.from("<b>"));
    stream.write(Buffer.from("</b>"));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    stream.write(Buffer.from("later"));
    stream.end(Buffer.from("!"));
    await ended;
    expect(chunks).toEqual([`${"a".repeat(2046)}<b></b>`, "later!"]);
  });
});
