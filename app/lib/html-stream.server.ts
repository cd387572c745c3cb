// The rendered page on its way out: without React 18.3's padding bytes (stripChunkPadding), in few large chunks.
import { Transform } from "node:stream";

/** The size of the buffer React 18.3's renderToPipeableStream fills before it writes a chunk. */
const REACT_VIEW_SIZE = 2048;

/**
 * React 18.3.1 writes its whole 2,048-byte buffer when the next multi-byte character does not fit in what is left,
 * so up to three zero bytes land in the page (Swedish "begärts" came out as "beg\0ärts"). The fix (React pull request
 * 26228) was never released for React 18. A page's markup holds no zero bytes of its own (text with control
 * characters is refused at the edge), so trailing zeros of a full-size chunk are that padding and are dropped.
 */
export function stripChunkPadding(chunk: Buffer): Buffer {
  if (chunk.length !== REACT_VIEW_SIZE) return chunk;
  let end = chunk.length;
  while (end > chunk.length - 3 && chunk[end - 1] === 0) end -= 1;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}

/**
 * A pass-through for rendered HTML that drops React's padding bytes and passes on, at the end of each turn of the
 * event loop, everything React wrote in it as one chunk. React writes a page in 2 KiB pieces, mostly in one
 * synchronous pass; each piece costs a trip through the web stream Remix wraps it in and a compression call, which for
 * a 100 KiB page cost more than a millisecond. Nothing is held back past the turn it was written in.
 */
export function htmlBodyStream(): Transform {
  let pending: Buffer[] = [];
  let scheduled = false;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      pending.push(stripChunkPadding(chunk));
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          passOn();
        });
      }
      callback();
    },
    flush(callback) {
      passOn();
      callback();
    },
  });
  function passOn() {
    if (pending.length === 0) return;
    const chunk = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    stream.push(chunk);
  }
  return stream;
}
