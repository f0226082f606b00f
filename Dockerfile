# Cubby as a container: Next's standalone server on Node 24, run as a non-root user.
#
#   docker build -t cubby .
#   docker run --rm -p 3000:3000 --env-file cubby.env cubby
#
# Every setting comes from the environment at run time (docs/deploy.md lists them); the image
# holds no configuration and no secret. scripts/standalone.ts runs the same files the same way
# without Docker, and the e2e suite runs against it: keep the runtime stage in step with it.

# Node 24 LTS, the version the project pins in package.json (devDependency "node").
ARG NODE_VERSION=24.21.0

# --- deps: every dependency, from the lockfile only
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: `next build` with output: 'standalone' (next.config.mjs)
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# --- runtime: the standalone server and its static files, nothing else
FROM node:${NODE_VERSION}-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# Laid out as Next's standalone docs say: .next/standalone at the root, .next/static and public
# beside server.js. Files stay owned by root, so the server cannot change its own code.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness only (no upstream calls): see app/api/health/route.ts. Slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
