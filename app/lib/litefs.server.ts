// Whether this process runs on a LiteFS replica, and where the primary's app listens (LiteFS's `.primary` file).
import fs from "node:fs";
import path from "node:path";

export interface LiteFsNode {
  /** The primary's hostname when this node is a replica (`$LITEFS_DIR/.primary` exists); null on the primary. */
  primaryHostname(): string | null;
}

/**
 * LiteFS writes `.primary` into its mount on replicas only, holding the primary's hostname (the lease's `hostname`);
 * the primary has none. Read per call (a batch, not a request): a Consul lease can move the primary at any time.
 */
export function liteFsNode(liteFsDir: string): LiteFsNode {
  const file = path.join(liteFsDir, ".primary");
  return {
    primaryHostname() {
      try {
        return fs.readFileSync(file, "utf8").trim() || null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

/**
 * The primary's app, reached over the private network: a hostname with a dot is an address already (a static lease
 * names the primary by DNS, e.g. `arn.roster.internal`); a bare one is a Fly machine, reached as
 * `<hostname>.vm.<app>.internal`, which is how litefs-js's getInternalInstanceDomain builds it for a Consul lease.
 */
export function primaryOrigin(hostname: string, port: number, flyAppName: string | undefined): string {
  const host = hostname.includes(".") || !flyAppName ? hostname : `${hostname}.vm.${flyAppName}.internal`;
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
}

/**
 * The `fly-replay` header value that sends a request to the primary: Fly's proxy replays a response carrying it on the
 * machine or region it names. A bare hostname is a machine id (a Consul lease names the primary by it); a static
 * lease's DNS name is reached through the primary region (one candidate machine there). Null when neither is known.
 */
export function flyReplayTarget(primaryHostname: string, primaryRegion: string | undefined): string | null {
  if (!primaryHostname.includes(".")) return `instance=${primaryHostname}`;
  return primaryRegion ? `region=${primaryRegion}` : null;
}
