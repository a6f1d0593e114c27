import { parseMediaKey } from '../media/media-key.ts';
import type { MediaStore } from '../media/ports.ts';
import { imageSources } from '../rendering/image-sources.ts';
import type { ImageWeight } from './ports.ts';

/**
 * What the images of an issue weigh: every distinct `<img src>` of its HTML once; a photo
 * below `mediaBaseUrl` (one the importer stored, `<base>/<sha256>.<ext>`) by the size the
 * media store gives, an image hosted elsewhere counted as unmeasured (fetching it to weigh it
 * would reach outside), one below the base with nothing stored as missing.
 * @param html the HTML, as readers get it
 * @param mediaBaseUrl where stored photos are served from (`mediaBaseUrlOf(config)`)
 */
export async function weighImages(
  html: string,
  mediaBaseUrl: string,
  media: Pick<MediaStore, 'size'>,
): Promise<ImageWeight> {
  const sources = imageSources(html);
  const keys = sources.map((source) => mediaKeyOf(source, mediaBaseUrl));
  const sizes = await Promise.all(
    keys.map((key) => (key === undefined ? undefined : media.size(key))),
  );
  const weight: ImageWeight = {
    count: sources.length,
    measured: 0,
    bytes: 0,
    unmeasured: 0,
    missing: 0,
  };
  for (const [index, key] of keys.entries()) {
    const size = sizes[index];
    if (key === undefined) weight.unmeasured++;
    else if (size === undefined) weight.missing++;
    else {
      weight.measured++;
      weight.bytes += size;
    }
  }
  return weight;
}

/** The media key an address below the media base stands for (see `mediaUrl`), if any. */
function mediaKeyOf(source: string, mediaBaseUrl: string): string | undefined {
  const base = `${mediaBaseUrl}/`;
  if (!source.startsWith(base)) return undefined;
  const key = `media/${source.slice(base.length)}`;
  return parseMediaKey(key) ? key : undefined;
}
