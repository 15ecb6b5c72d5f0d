'use client';
/** The conversion options form; every change re-converts (the parent debounces) and is remembered. */
import type { UiOptions } from './options';
import styles from './converter.module.css';

const DETAIL_LABELS = ['', 'Minimal', 'Low', 'Balanced', 'High', 'Maximum'];

export function OptionsPanel({ value, onChange }: { value: UiOptions; onChange: (next: UiOptions) => void }) {
  const set = <K extends keyof UiOptions>(key: K, v: UiOptions[K]) => onChange({ ...value, [key]: v });
  return (
    <form className={styles.options} aria-labelledby="options-heading" onSubmit={(e) => e.preventDefault()}>
      <h2 id="options-heading" className={styles.sectionTitle}>
        Options
      </h2>
      <div className={styles.field}>
        <label htmlFor="opt-mode">Mode</label>
        <select
          id="opt-mode"
          value={value.mode}
          onChange={(e) => set('mode', e.target.value as UiOptions['mode'])}
        >
          <option value="auto">Auto (detect)</option>
          <option value="color">Colour</option>
          <option value="mono">Black &amp; white</option>
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor="opt-colors">
          Colours <output htmlFor="opt-colors">{value.mode === 'mono' ? '1' : value.colors}</output>
        </label>
        <input
          id="opt-colors"
          type="range"
          min={2}
          max={64}
          value={value.colors}
          disabled={value.mode === 'mono'}
          onChange={(e) => set('colors', Number(e.target.value))}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="opt-detail">
          Detail <output htmlFor="opt-detail">{DETAIL_LABELS[value.detail]}</output>
        </label>
        <input
          id="opt-detail"
          type="range"
          min={1}
          max={5}
          value={value.detail}
          aria-valuetext={DETAIL_LABELS[value.detail]}
          onChange={(e) => set('detail', Number(e.target.value))}
        />
      </div>
      <div className={styles.field}>
        <label htmlFor="opt-smooth">
          Smoothness <output htmlFor="opt-smooth">{value.smoothness}%</output>
        </label>
        <input
          id="opt-smooth"
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
                name="quality"
                value={v}
                checked={value.quality === v}
                onChange={() => set('quality', v)}
              />
              {text}
            </label>
          ))}
        </div>
      </fieldset>
    </form>
  );
}
