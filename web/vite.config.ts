import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run dev` proxies the API to a running `sluice server` (SLUICE_URL, default the server's default port).
const api = process.env.SLUICE_URL ?? 'http://127.0.0.1:7070';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server serves assets/ with an immutable cache header: every name there carries a content hash.
    assetsDir: 'assets',
  },
  server: {
    proxy: {
      '/api': api,
      '/loki': { target: api, ws: true },
      '/metrics': api,
      '/healthz': api,
    },
  },
});
