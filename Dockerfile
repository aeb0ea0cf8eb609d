# Kawal Janji: the app image, in two stages.
# build:   every dependency (TypeScript, esbuild), compiles src/, the command-line tools and the
#          migrations into dist/ (npm run build).
# runtime: production dependencies only, dist/ and views/; node runs the compiled JavaScript, as
#          `npm start` does. No TypeScript toolchain, no sources.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY views ./views
COPY migrations ./migrations
COPY seeds ./seeds
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# scripts/build.mjs only for the npm scripts' up-to-date check (`npm run user`, `npm run migrate`, …):
# with no src/ beside it, it leaves dist/ as it is.
COPY scripts/build.mjs ./scripts/build.mjs
COPY --from=build /app/dist ./dist
COPY views ./views
# The one folder the app writes: the embedded engine's files (no DATABASE_URL) and unsent mail's .eml
# files (no SMTP_URL), owned by the user the app runs as; mount a volume at /app/data to keep them.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node itself as PID 1's command (not npm), so that SIGTERM from `docker stop` reaches the server.
CMD ["node", "--enable-source-maps", "dist/server.js"]
