import { resolve } from "node:path";
import { defineConfig } from "vite";

// Builds into frontend/dist, which Django serves as static files (whitenoise). Names are stable
// here; Django's manifest storage adds content hashes in production.
export default defineConfig({
  base: "/static/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: false,
    rollupOptions: {
      input: {
        eoffice: resolve(__dirname, "src/main.ts"),
        presensi: resolve(__dirname, "src/presensi/main.ts"),
        "presensi-sw": resolve(__dirname, "src/presensi/sw.ts"),
      },
      output: {
        entryFileNames: "[name].js",
        chunkFileNames: "chunks/[name].js",
        assetFileNames: "[name][extname]",
      },
    },
  },
});
