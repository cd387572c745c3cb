// Raw HTTP for edge tests: any method (fetch refuses TRACE), chunked bodies sent as fast as the server reads them.
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request through node:http (no Content-Length magic beyond node's own: a string body gets one). */
export function rawRequest(baseUrl: string, path: string, { method = "GET", headers = {}, body }: RawRequest = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    const request = http.request(new URL(path, baseUrl), { method, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

export interface ChunkedUpload extends RawResponse {
  /** Bytes of body the client managed to hand to the socket before the server answered and closed. */
  sentBytes: number;
}

/**
 * POSTs `totalBytes` of `chunk` repeated, with Transfer-Encoding: chunked (no Content-Length), honouring back
 * pressure, and stops sending as soon as the server answers. A server that reads the whole body reads all of it.
 */
export function chunkedPost(
  baseUrl: string,
  path: string,
  {
    totalBytes,
    first,
    chunk,
    headers = {},
  }: { totalBytes: number; first: string; chunk: string; headers?: Record<string, string> },
) {
  return new Promise<ChunkedUpload>((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    // Keep-alive, as browsers send it: a request saying `Connection: close` makes node close the socket right after
    // its early answer, under a body still arriving, and the reset can overtake the answer.
    const agent = new http.Agent({ keepAlive: true });
    const request = http.request(
      new URL(path, baseUrl),
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        agent,
      },
      (response) => {
        answered = true;
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (part) => {
          text += part;
        });
        const done = () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, sentBytes });
          // The server stopped reading: the rest of the body will never be wanted.
          request.destroy();
          agent.destroy();
        };
        response.on("end", done);
        // The server may close the connection under a body it stopped reading: the answer is what counts.
        response.on("error", done);
        response.on("close", done);
      },
    );
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const piece = Buffer.from(chunk);
    const pump = () => {
      if (sentBytes === 0) {
        request.write(first);
        sentBytes += Buffer.byteLength(first);
      }
      while (!answered && !request.destroyed && sentBytes < totalBytes) {
        sentBytes += piece.length;
        if (!request.write(piece)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    pump();
  });
}
