// Checks the shared secret that machines of one deployment send each other (Authorization: Bearer …), in constant time.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether the request carries `Bearer <expected>`. Both sides are hashed first, so the comparison takes the same time
 * whatever the length or content of what was sent. No token configured: nothing is accepted.
 */
export function hasInternalToken(request: Request, expected: string | null): boolean {
  const sent = /^Bearer (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1];
  if (expected === null || sent === undefined) return false;
  return timingSafeEqual(digest(sent), digest(expected));
}
