#!/bin/sh
# The one production path. The Dockerfile's build and run steps call it, `npm start` runs both,
# and server/production.test.ts runs it in a clean copy of the repository (docs/DEPLOY.md).
#   scripts/production.sh build   the app and the server compiled into build/ (needs dev dependencies)
#   scripts/production.sh start   the compiled server on plain node: no TypeScript loader
set -eu
cd "$(dirname "$0")/.."
case "${1:-}" in
	build) npm run build ;;
	start) exec node build/server/main.js ;;
	*)
		echo "usage: scripts/production.sh build|start" >&2
		exit 2
		;;
esac
