#!/bin/sh
# Container entrypoint: hands /data (a Fly volume, mounted root-owned) to the `node` user, then runs the command as it.
set -eu
if [ "$(id -u)" = 0 ]; then
  # Recursive: files an operator made as root in `fly ssh console` (a staged restore) must be the app's too.
  chown -R node:node /data
  exec setpriv --reuid=node --regid=node --init-groups "$@"
fi
exec "$@"
