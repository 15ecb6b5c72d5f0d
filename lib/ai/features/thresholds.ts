/** Thresholds the feature groups share (8-bit channel and alpha values). */

/** Alpha at or above which a pixel counts as opaque foreground on transparency. */
export const ALPHA_OPAQUE = 128;
/** Alpha below which a pixel counts as transparent (not visible). */
export const ALPHA_CLEAR = 16;
/** Sum of |dR|+|dG|+|dB| that separates foreground from background. */
export const FG_DISTANCE = 60;
/** A 1 px colour step above this is an edge. */
export const EDGE_STEP = 60;
/** A RAMP px colour step at or below this is flat. */
export const FLAT_STEP = 2;
/** A RAMP px colour step at or below this (and above FLAT_STEP) is gentle: a smooth gradient. */
export const GENTLE_STEP = 30;
/** The distance in px over which flatness is measured: a smooth gradient changes too little per pixel to see. */
export const RAMP = 4;
