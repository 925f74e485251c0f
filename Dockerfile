# One image recipe for the five OTS services and the one-shot migration job.
#
#   docker build --target runtime --build-arg SERVICE=directory -t ots-directory .
#   docker build --target migrate -t ots-migrate .
#
# The runtime image holds all five compiled services; SERVICE (build arg, or `-e SERVICE=…` at run time) picks the
# one to start. It runs as a non-root numeric UID, writes nothing outside /tmp (a read-only root filesystem works)
# and contains no key: secrets are mounted at run time (docs/adr/0004-key-provisioning.md).
# Only the classic builder's features are used, so `docker build` and docker-compose 1.29 both work.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_TUI=false \
    CI=true \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# ---------------------------------------------------------------------------------------------------------------
# Every dependency, dev included: for the build and for the migration job (prisma CLI, tsx).
# --workspaces=false: the workspace packages (apps/*, libs/*, tools/*) have no dependencies of their own and the
# code reaches them through tsconfig paths (rewritten to relative imports by tsc-alias), so the root manifest and
# the lockfile are all npm needs, and this layer stays cached until one of them changes.
# --ignore-scripts: the same as npm 11 on our machines (dependency install scripts only download binaries we do
# not use), and nothing is downloaded at install time (air-gapped builds).
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --workspaces=false --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------------------------------------------
# tsc + tsc-alias per app into dist/apps/<service>/ (entry dist/apps/<service>/apps/<service>/src/main.js).
FROM deps AS build
COPY . .
RUN npx nx run-many -t build -p directory mailbox push contact-sync data-export --outputStyle=static \
 && for service in directory mailbox push contact-sync data-export; do \
      test -f "dist/apps/$service/apps/$service/src/main.js" || { echo "missing build output for $service" >&2; exit 1; }; \
    done

# ---------------------------------------------------------------------------------------------------------------
# Production dependencies only (package.json "dependencies"). @prisma/client's optional peers (prisma, typescript)
# come along because the lockfile marks them devOptional; the services never load them.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---------------------------------------------------------------------------------------------------------------
# Migrations as their own step (never inside a service's start-up): `npm run db:migrate` applies every service
# schema's history (libs/db-tools) with Prisma 6.19's Wasm schema engine, offline. Needs DATABASE_URL.
FROM base AS migrate
ENV npm_config_cache=/tmp/.npm \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY tools/prisma ./tools/prisma
# libs/config and libs/db-tools (the migration runner) and every libs/<service>/db (prisma.config.ts, schema,
# migrations); copying libs/ whole means a new service's migrations need no change here
COPY libs ./libs
USER 1000:1000
ENTRYPOINT []
CMD ["npm", "run", "db:migrate"]

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
# the root package.json: the services read their version from it when OTS_VERSION is not set
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
# files stay owned by root: the service user can read but not change them
USER 1000:1000
# HTTP (health, metrics, public API) per service, directory gRPC, CSP (once the chat server lands)
EXPOSE 8101 8102 8103 8104 8105 9101 5222
ARG OTS_VERSION=
ARG SERVICE=
ENV OTS_VERSION=${OTS_VERSION} \
    SERVICE=${SERVICE}
# liveness only (/healthz answers without checking dependencies); HTTP_PORT, else the service's default port
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const port=process.env.HTTP_PORT||{directory:8101,mailbox:8102,push:8103,'contact-sync':8104,'data-export':8105}[process.env.SERVICE];fetch('http://127.0.0.1:'+port+'/healthz',{signal:AbortSignal.timeout(3000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# sh only expands SERVICE and OTS_NODE_ARGS (node's own flags, split at spaces: docs/configuration.md), then exec hands PID 1 to node, which receives SIGTERM and shuts down gracefully
ENTRYPOINT ["/bin/sh", "-c", "case \"$SERVICE\" in directory|mailbox|push|contact-sync|data-export) exec node --enable-source-maps $OTS_NODE_ARGS \"dist/apps/$SERVICE/apps/$SERVICE/src/main.js\" ;; *) echo \"SERVICE must be one of: directory mailbox push contact-sync data-export\" >&2; exit 64 ;; esac"]
