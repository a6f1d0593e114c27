import type { Config } from '../common/config.ts';
import { parseMediaKey } from './media-key.ts';

/** Where stored media are served from: `mediaBaseUrl`, else `publicBaseUrl` + `/media`. */
export function mediaBaseUrlOf(config: Pick<Config, 'mediaBaseUrl' | 'publicBaseUrl'>): string {
  return config.mediaBaseUrl ?? `${config.publicBaseUrl}/media`;
}

/**
 * The public address of a stored image (`media/<sha256>.<ext>` → `<base>/<sha256>.<ext>`).
 * @throws RangeError when `key` is not a media key
 */
export function mediaUrl(
  config: Pick<Config, 'mediaBaseUrl' | 'publicBaseUrl'>,
  key: string,
): string {
  if (!parseMediaKey(key)) throw new RangeError(`not a media key: ${key}`);
  return `${mediaBaseUrlOf(config)}/${key.slice('media/'.length)}`;
}
