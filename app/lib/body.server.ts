// Reads a request body up to a byte cap, counting bytes as they arrive: no header can make the server read more.
import { json } from "@remix-run/node";
import { MAX_BODY_BYTES } from "../../edge/limits.js";

/** The translated 413 (errorPage.tooLarge). */
export function bodyTooLarge() {
  return json({ reason: "tooLarge" }, { status: 413 });
}

/**
 * The body's bytes; throws a 413 response as soon as more than `maxBytes` have arrived (or are declared), and a 400
 * if the body breaks off. Past the cap it stops reading without cancelling (cancelling destroys the socket before
 * the 413 can be sent): node stops taking data off the wire, and drops the connection once it is idle.
 */
export async function readBodyBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes) throw bodyTooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw bodyTooLarge();
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    throw json({ reason: "badRequest" }, { status: 400 });
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
