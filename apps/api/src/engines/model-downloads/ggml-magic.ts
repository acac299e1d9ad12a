import { open } from 'node:fs/promises';

const GGML_MAGIC = 0x67676d6c;

/** Checks the first four bytes for the ggml magic; whisper.cpp would reject anything else at load time. */
export async function hasGgmlMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === GGML_MAGIC;
  } finally {
    await handle.close();
  }
}
