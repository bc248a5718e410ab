# klarna-mock: docker build -t klarna-mock . && docker run --rm -p 4545:4545 klarna-mock
# Build stage: full install (TypeScript, esbuild), compile to dist/ and bundle the server (scripts/bundle.mjs).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# The build parses the shipped scenario files once (dist/scenarios.json).
COPY scenarios ./scenarios
RUN npm run build

# Runtime stage: production dependencies only, compiled code, data; a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4545
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY fixtures ./fixtures
COPY scenarios ./scenarios
COPY assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4545
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4545) + '/_mock/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8's young generation held at 8 MB a semi-space, as `npm start` runs it (docs/performance.md says why).
ENTRYPOINT ["node", "--min-semi-space-size=8", "--max-semi-space-size=8", "dist/klarna-mock.mjs"]
