import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emailField, newPasswordField, parseForm, textField } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/redirect";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const Schema = z.object({ name: textField(100), email: emailField, password: newPasswordField });

describe("form parsing", () => {
  it("trims names and lower-cases emails", () => {
    const result = parseForm(form({ name: "  Ada  ", email: " Ada@Example.COM ", password: "longenough" }), Schema);
    expect(result).toEqual({ ok: true, data: { name: "Ada", email: "ada@example.com", password: "longenough" } });
  });

  it("reports one translated error per field and keeps typed values without passwords", () => {
    const result = parseForm(form({ name: "x".repeat(101), email: "nope", password: "short" }), Schema);
    expect(result).toEqual({
      ok: false,
      failure: {
        errors: {
          name: { key: "errors.tooLong", values: { max: 100 } },
          email: { key: "errors.invalidEmail" },
          password: { key: "errors.passwordTooShort" },
        },
        values: { name: "x".repeat(101), email: "nope" },
      },
    });
  });

  it("treats missing fields as required", () => {
    const result = parseForm(form({}), Schema);
    expect(result.ok || result.failure.errors).toMatchObject({
      name: { key: "errors.required" },
      email: { key: "errors.required" },
      password: { key: "errors.required" },
    });
  });

  it("rejects replacement characters left by invalid UTF-8 and control characters", () => {
    for (const name of ["Ol\uFFFDvia", "Ol\u0000via", "a\u001bb"]) {
      const result = parseForm(form({ name, email: "a@b.se", password: "longenough" }), Schema);
      expect(result.ok || result.failure.errors.name).toEqual({ key: "errors.invalidCharacters" });
    }
  });
});

describe("safeRedirectPath", () => {
  it("keeps same-site paths and refuses everything else", () => {
    expect(safeRedirectPath("/admin/members?sort=name")).toBe("/admin/members?sort=name");
    const hostile = [
      "//evil.example",
      "https://evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/ /evil.example",
      "/€",
      "/a\r\nSet-Cookie: x=1",
      "",
      null,
      undefined,
    ];
    for (const target of hostile) {
      expect(safeRedirectPath(target)).toBe("/");
    }
  });
});
