import { isAbsolute, relative, resolve } from 'node:path';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFiles } from '#core/media/ports.ts';

/**
 * `files`, reading only inside `folder`: an article sent to the editor API names its photos
 * by paths the API resolves on its own machine, so a path that leads out of the import
 * folder (`../../`, `/etc/…`) is refused as missing, and nothing outside is read.
 */
export function confinedImageFiles(files: ImageFiles, folder: string): ImageFiles {
  const root = resolve(folder);
  return {
    resolve: (imagePath, articleFile) => files.resolve(imagePath, articleFile),
    read: async (path) => {
      const inside = relative(root, resolve(path));
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
        throw new ImageSourceError(
          path,
          'missing',
          'is outside the import folder: name photos by paths inside it',
        );
      }
      return files.read(path);
    },
  };
}

/**
 * No image files at all, for an editor API without an import folder (on AWS): photos come
 * as `https:` addresses there.
 */
export const noImageFiles: ImageFiles = {
  resolve: (imagePath) => imagePath,
  read: async (path) => {
    throw new ImageSourceError(
      path,
      'missing',
      'cannot be read here: this editor API reads no image files; give the photo an https: address',
    );
  },
};
