// Whether this process runs on a LiteFS replica, which cannot write the database (docs/decisions/018-litefs-multi-node.md).
import { env } from "~/env.server";
import { liteFsNode } from "./litefs.server";

const node = env.liteFs ? liteFsNode(env.liteFs.dir) : null;

/** The primary's hostname when this process runs on a LiteFS replica; null on the primary or a single machine. */
export function primaryHostnameIfReplica(): string | null {
  return node?.primaryHostname() ?? null;
}
