import { document } from './dom.ts';
import { Studio } from './studio.ts';

/**
 * The studio page's script (`/studio.js`): reads what the shell's `<meta>` elements say and
 * starts the page. Its stylesheet is `studio.css` (`/studio.css`), built beside it.
 */
function meta(name: string): string {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
}

const studio = new Studio({
  token: meta('studio-token'),
  liveReload: meta('studio-live-reload') === 'true',
  target: meta('studio-target') === 'aws' ? 'aws' : 'local',
  mediaBaseUrl: meta('studio-media-base'),
});
studio.start().catch((error: unknown) => {
  console.error('the studio page failed to start', error);
});
