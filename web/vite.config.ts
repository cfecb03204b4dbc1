import { defineConfig } from 'vitest/config';

// The app lives under /app/ on the Go server; `npm run dev` proxies the API
// (HTTP and websockets) to a server started with `go run .` (PAGEINBOX_API).
const api = process.env.PAGEINBOX_API ?? 'http://localhost:8080';

export default defineConfig({
  base: '/app/',
  build: {
    outDir: '../internal/webapp/dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/query': { target: api, ws: true, changeOrigin: true },
      '/files': { target: api, changeOrigin: true },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
