// Streamed response bodies are read only as fast as the client takes them (edge/backpressure.js), and not at all once
// the client is gone.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { writeWithBackpressure } from "../../edge/backpressure.js";

/** A body of `chunks` chunks of 1 KiB that counts how many were pulled. */
function countedBody(chunks: number) {
  const pulled = { count: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled.count += 1;
      controller.enqueue(new Uint8Array(1024));
      if (pulled.count === chunks) controller.close();
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
  return { stream, pulled };
}

/** A socket stand-in that takes one chunk per `delayMs` and buffers at most 4 KiB before saying "wait". */
function slowClient(delayMs: number) {
  const received: number[] = [];
  const writable = new Writable({
    highWaterMark: 4096,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk.length);
      setTimeout(callback, delayMs);
    },
  });
  return { writable, received };
}

describe("writing a streamed body", () => {
  it("reads the next chunk only when the client has room for it", async () => {
    const { stream, pulled } = countedBody(40);
    const { writable, received } = slowClient(2);
    const done = writeWithBackpressure(stream, writable);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Without waiting for "drain", all 40 chunks would have been pulled at once.
    expect(pulled.count).toBeLessThan(20);
    await done;
    expect(received).toHaveLength(40);
    expect(writable.writableFinished || writable.writableEnded).toBe(true);
  });

  it("stops reading and cancels the body when the client goes away", async () => {
    const { stream, pulled } = countedBody(1_000);
    const { writable } = slowClient(5);
    const done = writeWithBackpressure(stream, writable);
    await new Promise((resolve) => setTimeout(resolve, 15));
    writable.destroy();
    await done;
    expect(pulled.cancelled).toBe(true);
    expect(pulled.count).toBeLessThan(50);
  });

  it("leaves no listeners behind however often it waits (a long download would otherwise warn of a leak)", async () => {
    const { stream } = countedBody(200);
    const { writable } = slowClient(0);
    const before = writable.listenerCount("close");
    await writeWithBackpressure(stream, writable);
    expect(writable.listenerCount("close")).toBe(before);
    expect(writable.listenerCount("drain")).toBe(0);
  });
});
