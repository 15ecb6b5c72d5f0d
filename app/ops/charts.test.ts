import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart, LineChart } from './charts';

describe('ops charts', () => {
  it('draws one path per unbroken run of points and labels the latest value', () => {
    const svg = renderToStaticMarkup(
      createElement(LineChart, {
        label: 'p95',
        points: [
          { x: 0, y: 1 },
          { x: 1, y: 2 },
          { x: 2, y: null },
          { x: 3, y: 4 },
          { x: 4, y: 3 },
        ],
      }),
    );
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('aria-label="p95, latest 3"');
  });

  it('says so when there is no data instead of drawing an empty axis', () => {
    expect(renderToStaticMarkup(createElement(LineChart, { label: 'rps', points: [] }))).toContain(
      'no data yet',
    );
    expect(renderToStaticMarkup(createElement(BarChart, { label: 'types', bars: [] }))).toContain(
      'no data yet',
    );
  });

  it('scales bars to the largest value', () => {
    const svg = renderToStaticMarkup(
      createElement(BarChart, {
        label: 'types',
        width: 250,
        bars: [
          { label: 'a', value: 10 },
          { label: 'b', value: 5 },
        ],
      }),
    );
    const widths = [...svg.matchAll(/<rect[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([100, 50]);
  });
});
