// The email-code rules with an injected clock, in process on a real SQLite file: sending windows (per invitation, per
// address an hour and a day), expiry at 15 minutes, binding to invitation and address, single use, wrong-code limit.
import "../support/app-database";
import { describe, expect, it } from "vitest";
import * as codes from "~/auth/email-codes.server";
import { hashToken } from "~/auth/tokens.server";
import { sqlite } from "~/db/client.server";
import { inviteMember } from "~/members/invitations.server";
import { newOrganization } from "../support/domain";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

let counter = 0;
/**
 * A pending invitation to the address, sent at T0 by the owner of an organization of its own (an address is invited
 * once per organization).
 */
function invitation(email: string): number {
  counter += 1;
  const organization = newOrganization(`Codes ${counter}`);
  const invited = inviteMember(organization.owner(), email, [organization.roles.member], T0);
  if (!invited.ok) throw new Error(invited.error);
  return sqlite
    .prepare("select id from invitations where token_hash = ?")
    .pluck()
    .get(hashToken(invited.token)) as number;
}

function issued(invitationId: number, email: string, now: number): string {
  const result = codes.issueEmailCode(invitationId, email, now);
  if (!result.ok) throw new Error(`refused, retry after ${result.retryAfterMs} ms`);
  expect(result.code).toMatch(/^\d{6}$/);
  return result.code;
}

describe("sending limits", () => {
  it("3 codes an hour per invitation; the 4th waits until the first is an hour old", () => {
    const email = "per-invitation@example.com";
    const id = invitation(email);
    for (const minute of [0, 10, 20]) issued(id, email, T0 + minute * MINUTE);
    expect(codes.issueEmailCode(id, email, T0 + 30 * MINUTE)).toEqual({ ok: false, retryAfterMs: 30 * MINUTE });
    issued(id, email, T0 + HOUR);
  });

  it("5 codes an hour and 10 a day per address, across invitations", () => {
    const email = "per-address@example.com";
    const ids = [invitation(email), invitation(email), invitation(email), invitation(email)];
    const start = T0 + 2 * DAY;
    for (let i = 0; i < 5; i++) issued(ids[i % 2] as number, email, start + i * MINUTE);
    expect(codes.issueEmailCode(ids[2] as number, email, start + 5 * MINUTE)).toEqual({
      ok: false,
      retryAfterMs: HOUR - 5 * MINUTE,
    });
    // Five more, an hour later, then the day is full.
    for (let i = 0; i < 5; i++) issued(ids[2 + (i % 2)] as number, email, start + HOUR + i * MINUTE);
    const later = start + 3 * HOUR;
    expect(codes.issueEmailCode(ids[0] as number, email, later)).toEqual({
      ok: false,
      retryAfterMs: start + DAY - later,
    });
    issued(ids[0] as number, email, start + DAY);
  });
});

describe("checking and redeeming", () => {
  it("a code works until 15 minutes after it was sent, and only for its invitation and address", () => {
    const email = "expiry@example.com";
    const id = invitation(email);
    const other = invitation("someone-else@example.com");
    const code = issued(id, email, T0);
    expect(codes.checkEmailCode(other, "someone-else@example.com", code, T0)).toEqual({ status: "expired" });
    expect(codes.checkEmailCode(id, "someone-else@example.com", code, T0)).toEqual({ status: "expired" });
    expect(codes.checkEmailCode(id, email, code, T0 + 15 * MINUTE - 1)).toMatchObject({ status: "ok" });
    expect(codes.checkEmailCode(id, email, code, T0 + 15 * MINUTE)).toEqual({ status: "expired" });
  });

  it("is used up once, and only the newest code counts", () => {
    const email = "once@example.com";
    const id = invitation(email);
    const first = issued(id, email, T0);
    const second = issued(id, email, T0 + MINUTE);
    if (first !== second) expect(codes.checkEmailCode(id, email, first, T0 + 2 * MINUTE)).toEqual({ status: "wrong" });
    const checked = codes.checkEmailCode(id, email, second, T0 + 2 * MINUTE);
    if (checked.status !== "ok") throw new Error(checked.status);
    expect(codes.redeemEmailCode(checked.codeId, id, T0 + 2 * MINUTE)).toBe(true);
    expect(codes.redeemEmailCode(checked.codeId, id, T0 + 2 * MINUTE)).toBe(false);
    expect(codes.checkEmailCode(id, email, second, T0 + 3 * MINUTE)).toEqual({ status: "expired" });
  });

  it("stops working after 5 wrong codes, even for the right one", () => {
    const email = "guess@example.com";
    const id = invitation(email);
    const code = issued(id, email, T0);
    const wrong = code === "000000" ? "000001" : "000000";
    const results = Array.from({ length: 5 }, () => codes.checkEmailCode(id, email, wrong, T0).status);
    expect(results).toEqual(["wrong", "wrong", "wrong", "wrong", "exhausted"]);
    expect(codes.checkEmailCode(id, email, code, T0)).toEqual({ status: "exhausted" });
  });

  it("an address sees at most 10 wrong codes a day, across its codes and invitations", () => {
    const email = "hammered@example.com";
    const [first, second] = [invitation(email), invitation(email)];
    const start = T0 + 5 * DAY;
    const codeA = issued(first as number, email, start);
    const codeB = issued(second as number, email, start);
    const wrongFor = (code: string) => (code === "000000" ? "000001" : "000000");
    const statuses = [
      ...Array.from({ length: 5 }, () => codes.checkEmailCode(first as number, email, wrongFor(codeA), start).status),
      ...Array.from({ length: 5 }, () => codes.checkEmailCode(second as number, email, wrongFor(codeB), start).status),
    ];
    expect(statuses).toEqual([...Array(4).fill("wrong"), "exhausted", ...Array(4).fill("wrong"), "addressLocked"]);
    const fresh = issued(first as number, email, start + HOUR);
    expect(codes.checkEmailCode(first as number, email, fresh, start + HOUR)).toEqual({ status: "addressLocked" });
    const nextDay = issued(first as number, email, start + DAY + MINUTE);
    expect(codes.checkEmailCode(first as number, email, nextDay, start + DAY + MINUTE)).toMatchObject({ status: "ok" });
  });

  it("reads codes as people type them", () => {
    expect(codes.normalizeCode(" 123 456 ")).toBe("123456");
    expect(codes.normalizeCode("123-456")).toBe("123456");
    expect(codes.normalizeCode("12345")).toBeNull();
    expect(codes.normalizeCode("12345a")).toBeNull();
    expect(codes.normalizeCode("１２３４５６")).toBeNull();
  });
});
