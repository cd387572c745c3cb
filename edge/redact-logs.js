// Keeps secret tokens out of the server's output: invitation links are redacted from all it writes to stdout/stderr.
// @ts-check

/**
 * `/invite/<token>` in any form a log line can carry it: a path (remix-serve's request log), or percent-encoded
 * once or twice inside another URL (`?redirectTo=%2Finvite%2F…`). The token is everything up to a delimiter.
 */
const INVITATION_TOKEN = /((?:\/|%2f|%252f)invite(?:\/|%2f|%252f))[^\s"'<>?#&/\\]+/gi;

/** @param {string} text */
export function redactSecrets(text) {
  return text.replace(INVITATION_TOKEN, "$1[redacted]");
}

/**
 * Makes every write to the stream pass through redactSecrets. A token split across two writes would get through;
 * the writers here (remix-serve's request log, console) write whole lines.
 * @param {NodeJS.WritableStream} stream
 */
export function redactStream(stream) {
  const write = stream.write;
  /** @type {any} */ (stream).write = function (/** @type {unknown} */ chunk, /** @type {any[]} */ ...rest) {
    const encoding = typeof rest[0] === "string" ? rest[0] : "utf8";
    const text =
      typeof chunk === "string"
        ? /^utf-?8$/i.test(encoding)
          ? chunk
          : null
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString("utf8")
          : null;
    if (text === null || !/invite/i.test(text)) return write.call(this, /** @type {any} */ (chunk), ...rest);
    return write.call(this, redactSecrets(text), ...rest);
  };
}
