import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { checkPhotoFile, MAX_PHOTO_PIXELS, type PhotoFormat, PhotoRefused } from './photo-check';

/**
 * The sizes pages need, portrait (4:5): `large` for the candidate page (shown 240 px wide, drawn at
 * twice that for sharp screens) and the share images, `small` for ticket cards (80 px wide, twice over).
 */
export const PHOTO_VARIANTS = {
  large: { width: 480, height: 600 },
  small: { width: 160, height: 200 },
} as const;
export type PhotoVariant = keyof typeof PHOTO_VARIANTS;
export const PHOTO_FILE_FORMATS = ['webp', 'jpeg'] as const;
export type PhotoFileFormat = (typeof PHOTO_FILE_FORMATS)[number];

export interface PhotoFile {
  variant: PhotoVariant;
  format: PhotoFileFormat;
  width: number;
  height: number;
  bytes: Buffer;
}

export interface ProcessedPhoto {
  /** What the upload was, as decoded. */
  source: { format: PhotoFormat; width: number; height: number };
  files: PhotoFile[];
  /** Names these files: part of their URLs, so that a new photo is a new address. */
  digest: string;
}

/**
 * Decodes an upload (after checkPhotoFile) and makes every variant from it: turned upright by its EXIF
 * orientation, cropped to 4:5 around what libvips finds most interesting, re-encoded, with no metadata
 * at all (EXIF with its GPS position, XMP, comments: sharp writes none unless asked). The upload itself
 * is never kept.
 */
export async function processPhoto(bytes: Buffer, name: string): Promise<ProcessedPhoto> {
  const format = checkPhotoFile(bytes, name);
  const options = { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning' as const };
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    // The header alone: the size is known before any pixel is decoded.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new PhotoRefused('photo_not_image');
  }
  if (meta.format !== format) throw new PhotoRefused('photo_not_image');
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_PHOTO_PIXELS) throw new PhotoRefused('photo_too_many_pixels');
  if (width < 100 || height < 100) throw new PhotoRefused('photo_too_small');
  if ((meta.pages ?? 1) > 1) throw new PhotoRefused('photo_animated');
  const files: PhotoFile[] = [];
  try {
    for (const [variant, size] of Object.entries(PHOTO_VARIANTS) as [
      PhotoVariant,
      { width: number; height: number },
    ][]) {
      // libvips decodes as it shrinks (JPEGs at a fraction of their size), so memory stays small; a
      // truncated or corrupt file fails here, at its first warning.
      const resized = sharp(bytes, options)
        .rotate()
        .resize(size.width, size.height, { fit: 'cover', position: sharp.strategy.attention })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb');
      const [webp, jpeg] = await Promise.all([
        resized.clone().webp({ quality: 80 }).toBuffer(),
        resized.clone().jpeg({ quality: 82, mozjpeg: true }).toBuffer(),
      ]);
      files.push({ variant, format: 'webp', ...size, bytes: webp });
      files.push({ variant, format: 'jpeg', ...size, bytes: jpeg });
    }
  } catch {
    throw new PhotoRefused('photo_corrupt');
  }
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.bytes);
  return { source: { format, width, height }, files, digest: hash.digest('hex').slice(0, 16) };
}
