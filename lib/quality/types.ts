/** Raster image types shared by the quality metrics, the engine and the dataset builder. */

/** Straight (non-premultiplied) RGBA, 4 bytes per pixel, row-major. */
export type RgbaImage = { data: Uint8Array; width: number; height: number };
