// Makes remix-serve wait for the socket when it writes a streamed response body, so a large streamed response (the
// members CSV) is held in memory one chunk at a time instead of all of it for a slow client.
// @ts-check
import { createRequire } from "node:module";

/**
 * @remix-run/node's writeReadableStreamToWritable (which @remix-run/express calls for every body) writes each chunk
 * without waiting for "drain": the stream is read as fast as it produces, and whatever the client has not taken yet
 * piles up in the response's buffer. This version waits for "drain" when `write` says the buffer is full, and stops
 * reading (cancelling the stream) once the response is closed.
 * @param {ReadableStream<Uint8Array>} stream
 * @param {import("node:stream").Writable & { flush?: () => void }} writable
 */
export async function writeWithBackpressure(stream, writable) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        writable.end();
        return;
      }
      const roomLeft = writable.write(value);
      if (typeof writable.flush === "function") writable.flush();
      if (!roomLeft && !writable.destroyed) {
        await new Promise((resolve) => {
          // Whichever comes first; the other listener goes too, or a long download would pile up "close" listeners.
          const settle = () => {
            writable.off("drain", settle);
            writable.off("close", settle);
            resolve(undefined);
          };
          writable.on("drain", settle);
          writable.on("close", settle);
        });
      }
      if (writable.destroyed) {
        await reader.cancel();
        return;
      }
    }
  } catch (error) {
    writable.destroy(/** @type {Error} */ (error));
    throw error;
  }
}

/** Replaces the writer on the @remix-run/node module instance that @remix-run/express uses (it reads it per call). */
export function installBackpressure() {
  const require = createRequire(createRequire(import.meta.url).resolve("@remix-run/express"));
  const remixNode = require("@remix-run/node");
  remixNode.writeReadableStreamToWritable = writeWithBackpressure;
}
