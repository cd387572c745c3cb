# syntax=docker/dockerfile:1
# Roster's production image. Build stages compile dependencies and the app; the `production` stage (fly.toml's
# build target) runs as the `node` user the same script `npm start` runs: scripts/start.js (Litestream restore +
# replicate -exec around scripts/serve.js, which is remix-serve behind the HTTP edge guard). The last stage, `litefs`,
# is the same for several machines (fly.litefs.toml).

# Node 22 throughout: better-sqlite3's native module is built for the Node that runs it.
FROM node:22-bookworm-slim AS base
WORKDIR /app

# All dependencies (the build needs the dev ones). Compilers in case better-sqlite3 has no prebuilt binary.
# `npm install`, not `npm ci`: the lockfile lacks other platforms' optional Litestream packages.
FROM base AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

# The same node_modules without dev dependencies: no second compile.
FROM deps AS production-deps
RUN npm prune --omit=dev --no-audit --no-fund

FROM base AS production
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_PATH=/data/roster.db
RUN mkdir /data && chown node:node /data
# The Litestream binary comes in node_modules: @flydotio/litestream's package for this platform.
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json litestream.yml ./
COPY drizzle ./drizzle
COPY scripts ./scripts
# The HTTP edge guard that scripts/serve.js puts in front of remix-serve.
COPY edge ./edge
EXPOSE 3000
# Starts as root only to give the volume to `node`; setpriv then runs CMD as `node`.
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["node", "scripts/start.js"]

# Several machines on LiteFS (fly.litefs.toml builds this target; docs/decisions/018-litefs-multi-node.md): the same
# image plus FUSE and the LiteFS binary from its official image. LiteFS runs as root (it mounts /litefs) and starts
# litefs.yml's exec, the same start script as `node` (through the entrypoint script), once it is the primary or has
# caught up with it.
FROM production AS litefs
ENV INTERNAL_PORT=3000 \
    PORT=3001 \
    LITEFS_DIR=/litefs \
    DATABASE_PATH=/litefs/roster.db
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates fuse3 \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir /litefs
COPY --from=flyio/litefs:0.5 /usr/local/bin/litefs /usr/local/bin/litefs
COPY litefs.yml /etc/litefs.yml
ENTRYPOINT ["litefs", "mount"]
CMD []
