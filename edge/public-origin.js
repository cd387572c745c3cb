// PUBLIC_ORIGIN: the origin people reach Roster at; links are built from it and same-origin posts are matched to it.
// @ts-check

/**
 * The configured public origin (scheme, host and port, no path), or its default: `https://<app>.fly.dev` on Fly,
 * `http://localhost:<PORT>` elsewhere. Throws a message fit for an operator when PUBLIC_ORIGIN is not an origin.
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function resolvePublicOrigin(env) {
  const configured = env.PUBLIC_ORIGIN?.trim();
  if (!configured) {
    return env.FLY_APP_NAME ? `https://${env.FLY_APP_NAME}.fly.dev` : `http://localhost:${env.PORT || 3000}`;
  }
  const problem = `PUBLIC_ORIGIN must be an http(s) origin such as https://roster.example.com (no path), not "${configured}"`;
  let url;
  try {
    url = new URL(configured);
  } catch {
    throw new Error(problem);
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if (!["http:", "https:"].includes(url.protocol) || !bare) throw new Error(problem);
  return url.origin;
}
