import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { redactSecrets, redactStream } from "../../edge/redact-logs.js";

describe("redactSecrets", () => {
  const token = "9igW3gp4Jd1VrK7GGTa56SluGpfg1-oPyR9L0abc_de";

  it("redacts invitation tokens from request lines, absolute links and encoded redirect targets", () => {
    const lines = [
      `GET /invite/${token} 200 5031 - 12.345 ms`,
      `POST /invite/${token}?_data=routes%2Finvite.%24token 302 - - 80 ms`,
      `link: http://localhost:3000/invite/${token}`,
      `GET /login?redirectTo=%2Finvite%2F${token} 200`,
      `GET /login?redirectTo=%2finvite%2f${token}&x=1 200`,
      `GET /x?next=%252Finvite%252F${token} 200`,
      `"/invite/${token}"`,
    ];
    for (const line of lines) {
      const redacted = redactSecrets(line);
      expect(redacted, line).not.toContain(token);
      expect(redacted, line).toContain("[redacted]");
    }
    expect(redactSecrets(`GET /invite/${token} 200`)).toBe("GET /invite/[redacted] 200");
  });

  it("leaves other lines alone", () => {
    expect(redactSecrets("GET /admin/members?q=invite 200")).toBe("GET /admin/members?q=invite 200");
  });
});

describe("redactStream", () => {
  it("redacts tokens from strings and buffers written to the stream", () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        written.push(String(chunk));
        callback();
      },
    });
    redactStream(stream);
    stream.write("GET /invite/abcdefTOKEN 200\n");
    stream.write(Buffer.from("POST /invite/abcdefTOKEN 302\n"));
    stream.write("GET /login 200\n", "utf8");
    expect(written.join("")).toBe("GET /invite/[redacted] 200\nPOST /invite/[redacted] 302\nGET /login 200\n");
  });
});
