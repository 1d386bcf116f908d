import { svelte } from '@sveltejs/vite-plugin-svelte';

// `npm run dev` proxies /v1 to the devserver of `make demo`.
export default {
  plugins: [svelte()],
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
};
