/** Paints a traced layer can carry besides a flat colour: fitted gradients and a constant opacity. */
import type { Rgb } from '../quantize';

/** One colour stop: `offset` 0..1 along the gradient vector (linear) or the radius (radial). */
export type GradientStop = { offset: number; color: Rgb };

/** Coordinates are in the SVG's user space (the traced pixel grid): `gradientUnits="userSpaceOnUse"`. */
export type LinearGradient = {
  kind: 'linear';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stops: GradientStop[];
};

export type RadialGradient = { kind: 'radial'; cx: number; cy: number; r: number; stops: GradientStop[] };

export type Gradient = LinearGradient | RadialGradient;

/** How a label's layer is painted when not plainly opaque in its palette colour. */
export type LayerPaint = { gradient?: Gradient; opacity?: number };
