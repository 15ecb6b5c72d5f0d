'use client';
/**
 * The conversion options form, used twice: as the defaults for new images (the sidebar) and inside each result
 * card for that image alone. Basic controls first; an "Advanced" section has the tracer's detail controls.
 */
import { useState } from 'react';
import { parsePaletteText, speckleOf, type UiOptions } from './options';
import styles from './converter.module.css';

const DETAIL_LABELS = ['', 'Minimal', 'Low', 'Balanced', 'High', 'Maximum'];

export function OptionsPanel({
  value,
  onChange,
  idPrefix = 'opt',
  title = 'Options',
  headingLevel = 2,
  note,
}: {
  value: UiOptions;
  onChange: (next: UiOptions) => void;
  /** Keeps ids unique when several panels are on the page. */
  idPrefix?: string;
  title?: string;
  headingLevel?: 2 | 4;
  note?: string;
}) {
  const set = <K extends keyof UiOptions>(key: K, v: UiOptions[K]) => onChange({ ...value, [key]: v });
  const id = (name: string) => `${idPrefix}-${name}`;
  const Heading = headingLevel === 2 ? 'h2' : 'h4';
  const mono = value.mode === 'mono';
  const [paletteText, setPaletteText] = useState(value.palette.join(', '));
  const [paletteInvalid, setPaletteInvalid] = useState<string[]>([]);
  return (
    <form className={styles.options} aria-labelledby={id('heading')} onSubmit={(e) => e.preventDefault()}>
      <Heading id={id('heading')} className={styles.sectionTitle}>
        {title}
      </Heading>
      {note && <p className={styles.note}>{note}</p>}
      <div className={styles.field}>
        <label htmlFor={id('mode')}>Mode</label>
        <select
          id={id('mode')}
          value={value.mode}
          onChange={(e) => set('mode', e.target.value as UiOptions['mode'])}
        >
          <option value="auto">Auto (detect)</option>
          <option value="color">Colour</option>
          <option value="mono">Black &amp; white</option>
        </select>
      </div>
      {mono && (
        <div className={styles.field}>
          <label htmlFor={id('ink')}>
            Ink <output htmlFor={id('ink')}>{value.ink}</output>
          </label>
          <input
            id={id('ink')}
            type="color"
            className={styles.colorInput}
            value={value.ink}
            onChange={(e) => set('ink', e.target.value)}
          />
        </div>
      )}
      <fieldset className={styles.field}>
        <legend>Background</legend>
        <div className={styles.radios}>
          {(
            [
              ['keep', 'Keep'],
              ['drop', 'Transparent'],
              ['replace', 'Colour'],
            ] as const
          ).map(([v, text]) => (
            <label key={v}>
              <input
                type="radio"
                name={id('background')}
                value={v}
                checked={value.background === v}
                onChange={() => set('background', v)}
              />
              {text}
            </label>
          ))}
        </div>
        {value.background === 'replace' && (
          <label className={styles.check}>
            <input
              id={id('background-color')}
              type="color"
              className={styles.colorInput}
              value={value.backgroundColor}
              onChange={(e) => set('backgroundColor', e.target.value)}
            />
            Background colour <output htmlFor={id('background-color')}>{value.backgroundColor}</output>
          </label>
        )}
      </fieldset>
      <div className={styles.field}>
        <label htmlFor={id('colors')}>
          Colours{' '}
          <output htmlFor={id('colors')}>
            {mono
              ? '1'
              : value.palette.length > 0
                ? `${value.palette.length} (palette)`
                : value.exactColors
                  ? `exactly ${value.colors}`
                  : `up to ${value.colors}`}
          </output>
        </label>
        <input
          id={id('colors')}
          type="range"
          min={2}
          max={64}
          value={value.colors}
          disabled={mono || value.palette.length > 0}
          onChange={(e) => set('colors', Number(e.target.value))}
        />
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={value.exactColors}
            disabled={mono || value.palette.length > 0}
            onChange={(e) => set('exactColors', e.target.checked)}
          />
          Exactly this many
        </label>
      </div>
      <div className={styles.field}>
        <label htmlFor={id('detail')}>
          Detail <output htmlFor={id('detail')}>{DETAIL_LABELS[value.detail]}</output>
        </label>
        <input
          id={id('detail')}
          type="range"
          min={1}
          max={5}
          value={value.detail}
          aria-valuetext={DETAIL_LABELS[value.detail]}
          onChange={(e) => onChange({ ...value, detail: Number(e.target.value), speckle: null })}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor={id('smooth')}>
          Smoothness <output htmlFor={id('smooth')}>{value.smoothness}%</output>
        </label>
        <input
          id={id('smooth')}
          type="range"
          min={0}
          max={100}
          step={5}
          value={value.smoothness}
          onChange={(e) => set('smoothness', Number(e.target.value))}
        />
      </div>
      <fieldset className={styles.field}>
        <legend>Quality</legend>
        <div className={styles.radios}>
          {(
            [
              ['fast', 'Fast'],
              ['balanced', 'Balanced'],
              ['best', 'Best'],
            ] as const
          ).map(([v, text]) => (
            <label key={v}>
              <input
                type="radio"
                name={id('quality')}
                value={v}
                checked={value.quality === v}
                onChange={() => set('quality', v)}
              />
              {text}
            </label>
          ))}
        </div>
      </fieldset>
      <details className={styles.advanced}>
        <summary>Advanced</summary>
        <div className={styles.field}>
          <label htmlFor={id('palette')}>Brand palette</label>
          <input
            id={id('palette')}
            type="text"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="#d62828, #1d3557, #ffffff"
            aria-describedby={id('palette-help')}
            value={paletteText}
            disabled={mono}
            onChange={(e) => setPaletteText(e.target.value)}
            onBlur={() => {
              const { colors, invalid } = parsePaletteText(paletteText);
              setPaletteInvalid(invalid);
              if (colors.join() !== value.palette.join()) set('palette', colors);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            }}
          />
          <span id={id('palette-help')} className={styles.help}>
            {paletteInvalid.length > 0
              ? `Not a hex colour: ${paletteInvalid.join(', ')}`
              : 'Every region snaps to the nearest of these colours.'}
          </span>
          {value.palette.length > 0 && (
            <ul className={styles.chips} aria-label="Palette colours">
              {value.palette.map((c) => (
                <li key={c}>
                  <span className={styles.chip} style={{ background: c }} aria-hidden="true" /> {c}
                </li>
              ))}
            </ul>
          )}
        </div>
        <fieldset className={styles.field}>
          <legend>Layers</legend>
          <div className={styles.radios}>
            {(
              [
                ['stacked', 'Stacked (no seams)'],
                ['cutout', 'Cutout (for cutters)'],
              ] as const
            ).map(([v, text]) => (
              <label key={v}>
                <input
                  type="radio"
                  name={id('layering')}
                  value={v}
                  checked={value.layering === v}
                  onChange={() => set('layering', v)}
                />
                {text}
              </label>
            ))}
          </div>
        </fieldset>
        <div className={styles.field}>
          <label htmlFor={id('speckle')}>
            Remove specks up to <output htmlFor={id('speckle')}>{speckleOf(value)} px</output>
          </label>
          <input
            id={id('speckle')}
            type="range"
            min={0}
            max={100}
            value={speckleOf(value)}
            onChange={(e) => set('speckle', Number(e.target.value))}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor={id('curves')}>
            Curve fitting <output htmlFor={id('curves')}>{value.curveTolerance.toFixed(1)} px</output>
          </label>
          <input
            id={id('curves')}
            type="range"
            min={0}
            max={2}
            step={0.1}
            value={value.curveTolerance}
            aria-valuetext={`${value.curveTolerance.toFixed(1)} pixels${value.curveTolerance === 0 ? ', exact polygons' : ''}`}
            onChange={(e) => set('curveTolerance', Math.round(Number(e.target.value) * 10) / 10)}
          />
        </div>
      </details>
    </form>
  );
}
