import { describe, expect, it } from "vitest";
import { readBodyBytes } from "~/lib/body.server";
import { idListField } from "~/lib/forms";
import { readFormData } from "~/lib/forms.server";
import { MAX_IDS } from "~/lib/ids";

/** A chunked body (no Content-Length) of `chunks` chunks of `size` bytes; counts how many were pulled. */
function endlessBody(size: number, chunks: number) {
  const pulled = { count: 0 };
  const chunk = new TextEncoder().encode("a".repeat(size));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.count === chunks) return controller.close();
      pulled.count++;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled };
}

const formRequest = (body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request("http://roster.test/login", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    // Node's fetch wants it for a stream body.
    duplex: "half",
  });

async function thrownStatus(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: await error.json() };
    throw error;
  }
  throw new Error("expected a thrown response");
}

describe("readBodyBytes", () => {
  it("stops reading a chunked body as soon as it passes the cap, and answers 413", async () => {
    const { body, pulled } = endlessBody(16 * 1024, 10_000);
    expect(await thrownStatus(readBodyBytes(formRequest(body), 64 * 1024))).toEqual({
      status: 413,
      body: { reason: "tooLarge" },
    });
    expect(pulled.count).toBeLessThanOrEqual(6);
  });

  it("refuses a declared Content-Length over the cap without reading", async () => {
    const { body, pulled } = endlessBody(16 * 1024, 10_000);
    const request = formRequest(body, { "Content-Length": String(64 * 1024 + 1) });
    expect((await thrownStatus(readBodyBytes(request, 64 * 1024))).status).toBe(413);
    // The stream's own read-ahead of one chunk, nothing more.
    expect(pulled.count).toBeLessThanOrEqual(1);
  });

  it("returns a body up to the cap whole", async () => {
    const { body } = endlessBody(1024, 64);
    expect((await readBodyBytes(formRequest(body), 64 * 1024)).byteLength).toBe(64 * 1024);
  });
});

describe("readFormData", () => {
  it("parses url-encoded and multipart bodies", async () => {
    const form = await readFormData(formRequest("email=a%40b.se&roleId=1&roleId=2"));
    expect(form.get("email")).toBe("a@b.se");
    expect(form.getAll("roleId")).toEqual(["1", "2"]);

    const multipart = new FormData();
    multipart.set("name", "Åsa");
    const encoded = new Request("http://roster.test/", { method: "POST", body: multipart });
    const request = new Request("http://roster.test/", {
      method: "POST",
      body: await encoded.arrayBuffer(),
      headers: { "Content-Type": encoded.headers.get("Content-Type")! },
    });
    expect((await readFormData(request)).get("name")).toBe("Åsa");
  });

  it("answers a chunked form over 64 KiB with 413 and a malformed one with 400", async () => {
    const { body } = endlessBody(64 * 1024, 3);
    expect((await thrownStatus(readFormData(formRequest(body)))).status).toBe(413);
    const broken = formRequest("--x\r\ngarbage", { "Content-Type": "multipart/form-data; boundary=x" });
    expect((await thrownStatus(readFormData(broken))).status).toBe(400);
  });
});

describe("a list of ids in a form", () => {
  const ids = (count: number) => Array.from({ length: count }, (_, i) => String(i + 1));

  it(`accepts up to ${MAX_IDS} ids and refuses more`, () => {
    expect(idListField.parse(ids(MAX_IDS))).toHaveLength(MAX_IDS);
    expect(idListField.safeParse(ids(MAX_IDS + 1)).success).toBe(false);
  });
});
