import { describe, expect, it } from 'vitest';
import { editorApi } from '#app/editor-api/editor-api.ts';
import {
  type EditorRole,
  editorRoles,
  editorRoutes,
  routesOfRole,
} from '#core/editor/editor-routes.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

// The route table that the stack turns into API Gateway routes and IAM policies, against the
// router itself: a route the router serves but the table lacks would be unreachable on AWS
// (or reachable by no role), and a route in the table the router lacks would be granted for
// nothing.

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

/** Every route the router declares, once each (a body limit makes a second entry). */
async function servedRoutes() {
  const { deps } = await memoryEditorApiDeps();
  const declared = editorApi(deps).routes;
  return {
    // `ALL` entries are the middleware for every request and the 404 for the rest.
    all: [...new Set(declared.filter((r) => r.method === 'ALL').map((r) => r.path))],
    routes: [...new Set(declared.filter((r) => r.method !== 'ALL').map(key))].sort(),
  };
}

const isIssueAction = (path: string) =>
  /^\/issues\/:id\/(approve|send|unschedule|pause|resume|cancel)$/.test(path);
const isKeyRoute = (path: string) => path === '/keys' || path.startsWith('/keys/');

describe('editorRoutes', () => {
  it('lists every route the router serves, and nothing more', async () => {
    const served = await servedRoutes();

    expect(served.all).toEqual(['/*']);
    expect(served.routes).toEqual(editorRoutes.map(key).sort());
  });

  it('lists each method and path once', () => {
    const keys = editorRoutes.map(key);

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lets the viewer make every GET but those of /subscribers and /keys, and nothing else', () => {
    for (const route of editorRoutes) {
      const viewerRoute =
        route.method === 'GET' && !route.path.startsWith('/subscribers') && !isKeyRoute(route.path);
      expect({ route: key(route), viewer: route.role === 'viewer' }).toEqual({
        route: key(route),
        viewer: viewerRoute,
      });
    }
    expect(editorRoutes.filter((route) => route.role === 'viewer').map(key)).toEqual(
      expect.arrayContaining(['GET /audit', 'GET /issues/:id/timeline']),
    );
  });

  it('keeps the subscriber list, its export and a subscriber’s preview, personal data, for editors', () => {
    const subscriberReads = editorRoutes.filter(
      (route) => route.method === 'GET' && route.path.startsWith('/subscribers'),
    );

    expect(subscriberReads.map(key).sort()).toEqual([
      'GET /subscribers',
      'GET /subscribers/:id/preview',
      'GET /subscribers/export',
    ]);
    for (const route of subscriberReads) expect(route.role).toBe('editor');
  });

  it('gives every issue action (approve, send, unschedule, pause, resume, cancel) to senders only', () => {
    const actions = editorRoutes.filter((route) => isIssueAction(route.path));

    expect(actions.map((route) => route.path.split('/').at(-1)).sort()).toEqual([
      'approve',
      'cancel',
      'pause',
      'resume',
      'send',
      'unschedule',
    ]);
    for (const route of actions) {
      expect({ route: key(route), role: route.role }).toEqual({
        route: key(route),
        role: 'sender',
      });
    }
    expect(
      editorRoutes
        .filter((route) => route.role === 'sender' && !isKeyRoute(route.path))
        .map(key)
        .sort(),
    ).toEqual(actions.map(key).sort());
  });

  it('gives the keys of subscriber links (list, rotate, retire) to senders only: retiring one breaks mailed links', () => {
    const keyRoutes = editorRoutes.filter((route) => isKeyRoute(route.path));

    expect(keyRoutes).toEqual([
      { method: 'GET', path: '/keys', role: 'sender' },
      { method: 'POST', path: '/keys', role: 'sender' },
      { method: 'POST', path: '/keys/:kid/retire', role: 'sender' },
    ]);
    for (const role of ['viewer', 'editor'] as const) {
      expect({ role, keys: routesOfRole(role).filter((route) => isKeyRoute(route.path)) }).toEqual({
        role,
        keys: [],
      });
    }
  });

  it('gives editors every other change: articles and their photos, subscribers, drafts, renders and test sends', () => {
    const changes = editorRoutes.filter(
      (route) => route.method !== 'GET' && !isIssueAction(route.path) && !isKeyRoute(route.path),
    );

    expect(changes.map(key).sort()).toEqual([
      'DELETE /subscribers/:id',
      'POST /articles',
      'POST /issues',
      'POST /issues/:id/render',
      'POST /issues/:id/test',
      'POST /media',
      'POST /subscribers',
    ]);
    for (const route of changes) expect(route.role).toBe('editor');
  });
});

describe('routesOfRole', () => {
  it('gives each role its own routes and those of the roles below it', () => {
    const own = (role: EditorRole) => editorRoutes.filter((route) => route.role === role);

    expect(routesOfRole('viewer')).toEqual(own('viewer'));
    expect(routesOfRole('editor')).toEqual(
      editorRoutes.filter((route) => route.role === 'viewer' || route.role === 'editor'),
    );
    expect(routesOfRole('sender')).toEqual([...editorRoutes]);
    expect(editorRoles).toEqual(['viewer', 'editor', 'sender']);
  });
});
