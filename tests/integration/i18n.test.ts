import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, setUpOrganization } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await setUpOrganization(server.url);
});
afterAll(async () => {
  await server.stop();
});

async function page(path: string, headers: HeadersInit = {}) {
  const response = await new Client(server.url).get(path, headers);
  const html = await response.text();
  return { html, lang: /<html lang="(\w+)"/.exec(html)?.[1] };
}

describe("languages", () => {
  it("defaults to English", async () => {
    const { html, lang } = await page("/login");
    expect(lang).toBe("en");
    expect(html).toContain("Log in");
  });

  it("follows Accept-Language", async () => {
    const { html, lang } = await page("/login", { "Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5" });
    expect(lang).toBe("sv");
    expect(html).toContain("Logga in");
  });

  it("prefers the lng cookie over Accept-Language", async () => {
    const { lang } = await page("/login", { Cookie: "lng=sv", "Accept-Language": "en" });
    expect(lang).toBe("sv");
  });

  it("prefers ?lng= over the cookie", async () => {
    const { lang, html } = await page("/login?lng=en", { Cookie: "lng=sv" });
    expect(lang).toBe("en");
    expect(html).toContain("Log in");
  });

  it("ignores unsupported languages", async () => {
    const { lang } = await page("/login?lng=xx", { Cookie: "lng=<script>" });
    expect(lang).toBe("en");
  });

  it("translates validation errors", async () => {
    const client = new Client(server.url);
    const response = await client.post("/login?lng=sv", { email: "", password: "" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Fältet måste fyllas i.");
  });

  it("the switcher sets the lng cookie and returns to the same page", async () => {
    const client = new Client(server.url);
    const response = await client.post("/language", { lng: "sv", redirectTo: "/login?redirectTo=%2F&lng=en" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2F");
    expect(client.cookies.get("lng")).toBe("sv");
    const html = await (await client.get("/login")).text();
    expect(html).toContain('<html lang="sv"');
  });

  it("the switcher refuses to redirect off-site", async () => {
    const response = await new Client(server.url).post("/language", { lng: "sv", redirectTo: "https://evil.example/" });
    expect(response.headers.get("location")).toBe("/");
  });
});
