import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "~/auth/password.server";

describe("password hashing", () => {
  it("accepts the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  it("salts every hash, so equal passwords do not give equal hashes", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("never contains the password and records its parameters", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).not.toContain("correct");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  });

  it("rejects malformed or tampered stored hashes instead of throwing", async () => {
    const hash = await hashPassword("secret password");
    expect(await verifyPassword("secret password", "")).toBe(false);
    expect(await verifyPassword("secret password", "bcrypt$whatever")).toBe(false);
    expect(await verifyPassword("secret password", `${hash.slice(0, -4)}AAAA`)).toBe(false);
  });
});
