'use client';
/**
 * The swatch editor of one result: its palette as swatches; recolour one, merge one into another, or remove one
 * (for example the background). Each edit rewrites the SVG's colours at once; removing a colour whose shapes
 * other layers reach under (stacked layers) asks for a re-trace without it instead.
 */
import { useEffect, useRef } from 'react';
import { dropLeavesTransparency, listSwatches } from '@/lib/palette/svg-colors';
import type { SwatchEdit } from './swatch-edits';
import styles from './converter.module.css';

function SwatchColor({
  color,
  label,
  onPick,
}: {
  color: string;
  label: string;
  onPick: (c: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);
  // React's onChange is the input event, fired on every drag step; the edit is recorded once, on change
  useEffect(() => {
    const el = input.current!;
    const commit = () => {
      if (el.value.toLowerCase() !== color) pick.current(el.value.toLowerCase());
    };
    el.addEventListener('change', commit);
    return () => el.removeEventListener('change', commit);
  }, [color]);
  return (
    <input
      ref={input}
      type="color"
      defaultValue={color}
      key={color}
      aria-label={label}
      className={styles.colorInput}
    />
  );
}

export function PaletteEditor({
  svg,
  layering,
  name,
  busy,
  onEdit,
}: {
  svg: string;
  layering: 'stacked' | 'cutout';
  name: string;
  busy: boolean;
  /** `retrace`: the edit needs the image traced again (the card adds it to its options). */
  onEdit: (edit: SwatchEdit, retrace: boolean) => void;
}) {
  const swatches = listSwatches(svg);
  if (swatches.length === 0) return null;
  return (
    <section className={styles.palette} aria-label={`Palette of ${name}`} data-testid="palette-editor">
      <h4 className={styles.paletteTitle}>
        Palette{' '}
        <span className={styles.muted}>
          ({swatches.length} {swatches.length === 1 ? 'colour' : 'colours'})
        </span>
      </h4>
      <ul className={styles.swatches}>
        {swatches.map((s) => (
          <li key={s.color} className={styles.swatch} data-color={s.color}>
            <SwatchColor
              color={s.color}
              label={`Recolour ${s.color}`}
              onPick={(to) => onEdit({ op: 'recolor', from: s.color, to }, false)}
            />
            <code>{s.color}</code>
            {swatches.length > 1 && (
              <select
                aria-label={`Merge ${s.color} into`}
                value=""
                disabled={busy}
                onChange={(e) =>
                  e.target.value && onEdit({ op: 'recolor', from: s.color, to: e.target.value }, false)
                }
              >
                <option value="">Merge into…</option>
                {swatches
                  .filter((o) => o.color !== s.color)
                  .map((o) => (
                    <option key={o.color} value={o.color}>
                      {o.color}
                    </option>
                  ))}
              </select>
            )}
            {swatches.length > 1 && (
              <button
                type="button"
                className={styles.ghost}
                disabled={busy}
                aria-label={`Remove ${s.color}`}
                onClick={() =>
                  onEdit({ op: 'drop', color: s.color }, !dropLeavesTransparency(svg, s.color, layering))
                }
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
