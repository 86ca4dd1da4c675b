// Module hooks (see register.mjs): `fs` imported by the conformance suite's bundle resolves to ./fs.mjs.
export async function resolve(specifier, context, next) {
  if ((specifier === 'fs' || specifier === 'node:fs') && context.parentURL?.includes('/@modelcontextprotocol/conformance/')) {
    return { url: new URL('./fs.mjs', import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}
