import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emailField, idListField, newPasswordField, textField } from "~/lib/forms";
import { parseForm } from "~/lib/forms.server";
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
        intent: "form",
        formId: "form",
        fieldErrors: {
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
    expect(result.ok || result.failure.fieldErrors).toMatchObject({
      name: { key: "errors.required" },
      email: { key: "errors.required" },
      password: { key: "errors.required" },
    });
  });

  it("rejects replacement characters left by invalid UTF-8 and control characters", () => {
    for (const name of ["Ol\uFFFDvia", "Ol\u0000via", "a\u001bb"]) {
      const result = parseForm(form({ name, email: "a@b.se", password: "longenough" }), Schema);
      expect(result.ok || result.failure.fieldErrors?.name).toEqual({ key: "errors.invalidCharacters" });
    }
  });
});

describe("forms with several intents", () => {
  const Intents = z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("rename"), name: textField(10) }),
    z.object({ intent: z.literal("pick"), memberId: idListField }),
  ]);

  it("names the failed form by its intent and formId", () => {
    const result = parseForm(form({ intent: "rename", formId: "row-7", name: "" }), Intents);
    expect(result.ok || result.failure).toMatchObject({
      intent: "rename",
      formId: "row-7",
      fieldErrors: { name: { key: "errors.required" } },
    });
  });

  it("reads a repeated field as a list of ids, one value as a list of one, and none as an empty list", () => {
    const many = new FormData();
    many.set("intent", "pick");
    many.append("memberId", "3");
    many.append("memberId", "5");
    expect(parseForm(many, Intents)).toEqual({ ok: true, data: { intent: "pick", memberId: [3, 5] } });
    expect(parseForm(form({ intent: "pick", memberId: "8" }), Intents)).toEqual({
      ok: true,
      data: { intent: "pick", memberId: [8] },
    });
    expect(parseForm(form({ intent: "pick" }), Intents)).toEqual({ ok: true, data: { intent: "pick", memberId: [] } });
  });

  it("refuses an unknown intent as a failure of the whole form", () => {
    const result = parseForm(form({ intent: "explode" }), Intents);
    expect(result.ok || result.failure).toMatchObject({
      intent: "explode",
      fieldErrors: { form: { key: "errors.badRequest" } },
    });
  });

  it("refuses more than 1,000 ids", () => {
    const data = new FormData();
    data.set("intent", "pick");
    for (let id = 1; id <= 1001; id += 1) data.append("memberId", String(id));
    const result = parseForm(data, Intents);
    expect(result.ok || result.failure.fieldErrors?.memberId).toEqual({ key: "errors.tooMany" });
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
