// `npm run dev` proxies /v1 to the devserver of `make demo` (its offline model, or the
// key-safe proxy when a key is in its environment): the key never reaches this page.
export default {
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
};
