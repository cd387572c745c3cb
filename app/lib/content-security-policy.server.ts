// The documents' Content-Security-Policy: scripts only from this origin or carrying this render's nonce.
import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * No inline scripts but the nonce's (Remix's hydration data, scroll restoration), no plugins, no <base>, forms only to
 * this origin, never framed. In development `remix dev` (REMIX_DEV_ORIGIN) pushes live reloads over a WebSocket.
 */
export function contentSecurityPolicy(nonce: string, devOrigin?: string): string {
  const dev = devOrigin ? ` ${devOrigin.replace(/^http/, "ws")}` : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self'${dev}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
