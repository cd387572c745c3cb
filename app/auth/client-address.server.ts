// The client's network address as the trusted HTTP guard reports it, as a key for per-address rate limits.
import { isIP } from "node:net";

/**
 * Set by the server's HTTP guard (scripts/serve.js) on every request, after deleting any value a client sent: the
 * socket's remote address, or Fly-Client-IP behind Fly's proxy (which overwrites whatever a client sent). The app
 * never reads Fly-Client-IP or X-Forwarded-For itself. See docs/decisions/008-rate-limits.md.
 */
export const CLIENT_ADDRESS_HEADER = "X-Roster-Client-Address";

/**
 * The rate-limit key for the request's client address, or null when there is no trusted address (then per-address
 * limits are skipped). IPv4-mapped IPv6 is folded to IPv4, and IPv6 to its /64: one client usually holds a whole /64,
 * so per-address limits would be trivial to dodge otherwise.
 */
export function clientAddress(request: Request): string | null {
  const value = request.headers.get(CLIENT_ADDRESS_HEADER)?.trim() ?? "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value)?.[1];
  if (mapped && isIP(mapped) === 4) return mapped;
  switch (isIP(value)) {
    case 4:
      return value;
    case 6:
      return `${ipv6Prefix64(value)}::/64`;
    default:
      return null;
  }
}

/** The first four groups of an IPv6 address, expanded and lower-cased ("2001:db8::1" → "2001:db8:0:0"). */
function ipv6Prefix64(address: string): string {
  const withoutZone = address.split("%")[0] ?? "";
  const [head = "", tail] = withoutZone.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  // An embedded IPv4 tail ("::1.2.3.4") only ever sits in the low 64 bits, which are dropped.
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(Math.max(missing, 0)).fill("0"), ...tailGroups];
  return groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":");
}
