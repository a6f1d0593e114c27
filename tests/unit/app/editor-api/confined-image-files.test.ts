import { describe, expect, it } from 'vitest';
import { confinedImageFiles } from '#app/editor-api/confined-image-files.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFiles } from '#core/media/ports.ts';

/** Image files that resolve as `FileImageSource` does and record every read. */
function recordingFiles(base: string) {
  const read: string[] = [];
  const files: ImageFiles = {
    resolve: (imagePath, articleFile) =>
      imagePath.startsWith('/')
        ? imagePath
        : `${base}/${articleFile.split('/').slice(0, -1).concat(imagePath).join('/')}`,
    read: async (path) => {
      read.push(path);
      return new Uint8Array([1]);
    },
  };
  return { files, read };
}

describe('confinedImageFiles', () => {
  it('reads a photo inside the folder, in a subfolder too', async () => {
    const { files, read } = recordingFiles('/imports');
    const confined = confinedImageFiles(files, '/imports');

    await confined.read(confined.resolve('photos/a.jpg', 'story.txt'));
    await confined.read(confined.resolve('b.png', 'week/story.txt'));

    expect(read).toEqual(['/imports/photos/a.jpg', '/imports/week/b.png']);
  });

  it('refuses, as missing, a path that leads out of the folder, and reads nothing', async () => {
    const { files, read } = recordingFiles('/imports');
    const confined = confinedImageFiles(files, '/imports');

    for (const path of ['../secret.jpg', '../../etc/x.png', '/etc/x.png']) {
      await expect(confined.read(confined.resolve(path, 'story.txt'))).rejects.toSatisfy(
        (error) => error instanceof ImageSourceError && error.reason === 'missing',
      );
    }
    await expect(confined.read('/imports-elsewhere/a.jpg')).rejects.toBeInstanceOf(
      ImageSourceError,
    );
    expect(read).toEqual([]);
  });
});
