// Stands in, through an esbuild alias, for a package that a dependency imports but this code
// never calls (see `omitModules` in newsletter-function.ts). Anything used from it throws,
// naming what is missing, rather than failing somewhere obscure.
const unavailable = (name) =>
  function unavailableExport() {
    throw new Error(
      `${name} is left out of this Lambda bundle (infra/bundling/unavailable-module.mjs)`,
    );
  };

// The names cheerio imports from encoding-sniffer and undici, for fromURL, loadBuffer and
// decodeStream, which neither MJML nor juice calls.
export const decodeBuffer = unavailable('encoding-sniffer');
export const DecodeStream = unavailable('encoding-sniffer');
export const Client = unavailable('undici');
export const interceptors = { redirect: unavailable('undici') };
export const errors = { ResponseError: unavailable('undici') };
export default {};
