# The plantkpi image: the collector, scheduler, worker and simulator of docker-compose.yml run from it.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/plantkpi.js"]
