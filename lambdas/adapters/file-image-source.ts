import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkFileSize } from '#core/media/image-limits.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFiles } from '#core/media/ports.ts';

/**
 * `ImageFiles` on the local file system: a path is relative to the folder of the article
 * file that names it, and an article file's own path relative to `baseDir` (the working
 * directory by default; the demo gives the repository, whatever the shell's directory).
 */
export class FileImageSource implements ImageFiles {
  constructor(private readonly baseDir = process.cwd()) {}

  resolve(imagePath: string, articleFile: string): string {
    return resolve(this.baseDir, dirname(articleFile), imagePath);
  }

  async read(path: string): Promise<Uint8Array> {
    const size = await fileSize(path);
    // Before reading: a 2 GB file named by mistake is refused without loading it.
    checkFileSize(size, path);
    try {
      return await readFile(path);
    } catch (error) {
      throw sourceError(path, error);
    }
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const found = await stat(path);
    if (!found.isFile()) {
      throw new ImageSourceError(path, 'missing', `is not a file (looked for ${path})`);
    }
    return found.size;
  } catch (error) {
    if (error instanceof ImageSourceError) throw error;
    throw sourceError(path, error);
  }
}

function sourceError(path: string, error: unknown): ImageSourceError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ImageSourceError(path, 'missing', `does not exist (looked for ${path})`, {
      cause: error,
    });
  }
  return new ImageSourceError(
    path,
    'unreadable',
    `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}; looked for ${path})`,
    { cause: error },
  );
}
