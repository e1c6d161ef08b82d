// The customer simulator page: a small separate entry built into dist/simulator, which the
// server serves at /simulator.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/simulator',
  base: '/simulator/',
  build: {
    outDir: '../../dist/simulator',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
