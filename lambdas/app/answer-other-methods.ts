import type { Hono } from 'hono';

/** The order in which `Allow` lists methods. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Makes each path that `app` has routes for answer every other method with 405 and an
 * `Allow` header naming the methods it serves: those of its routes, and HEAD wherever GET is
 * (Hono answers HEAD with the GET route). A path with no route keeps the app's 404.
 * Call it once every route is added: it reads `app.routes`, and a route added after it is
 * not listed. Middleware (`use`, method `ALL`) serves no method of its own.
 */
export function answerOtherMethods(app: Hono): void {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue;
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    byPath.set(path, methods);
  }
  for (const [path, methods] of byPath) {
    const allow = [...methods].sort((a, b) => rank(a) - rank(b)).join(', ');
    app.all(path, (c) => {
      c.header('Allow', allow);
      return c.text('Method not allowed.', 405);
    });
  }
}

function rank(method: string): number {
  const index = ORDER.indexOf(method);
  return index === -1 ? ORDER.length : index;
}
