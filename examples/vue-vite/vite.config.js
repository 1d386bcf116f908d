import vue from '@vitejs/plugin-vue';

// Vue must know <rill-chat> is a custom element (not a component to resolve); it then sets
// its properties (:tools, :strings) and listens with @rill-message. `npm run dev` proxies
// /v1 to the devserver of `make demo`.
export default {
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'rill-chat' } } })],
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
};
