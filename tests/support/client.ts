// A small HTTP client for integration tests: keeps cookies like a browser and never follows redirects by itself.
export class Client {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("Cookie")) headers.set("Cookie", this.cookieHeader());
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    this.remember(response);
    return response;
  }

  get(path: string, headers: HeadersInit = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  post(path: string, fields: Record<string, string>, headers: HeadersInit = {}): Promise<Response> {
    return this.request(path, { method: "POST", body: new URLSearchParams(fields), headers });
  }
}

/** Fills in first-run setup and returns the owner's signed-in client. */
export async function setUpOrganization(
  baseUrl: string,
  fields: Partial<Record<"orgName" | "name" | "email" | "password", string>> = {},
): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.post("/setup", {
    orgName: "Acme",
    name: "Olivia Owner",
    email: "owner@example.com",
    password: "correct horse battery",
    ...fields,
  });
  if (response.status !== 302) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  return client;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.post("/login", { email, password });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return client;
}
