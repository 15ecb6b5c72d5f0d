// Background, ink and SVG options in a real browser: toggling one card's background and reading the transparency
// of its downloaded SVG (rendered with resvg), "Black & white" that is black (and another ink), the SVG section
// of the format menu (pretty, title, layer ids) rendering like the minified file, and axe with these controls
// shown. Screenshots of the result card, the palette editor and the format menu are attached (test-results/).
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import sharp from 'sharp';
import { listSwatches } from '@/lib/palette/svg-colors';
import { addPng, attachScreenshot, downloadFromCard } from '@/test/support/result-card';
import { renderSvg } from '@/lib/quality';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const W = 128;
const H = 96;
// ZABBIX-like: white letters on a red plate, on a white page
const PLATE =
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#fff"/>` +
  '<rect x="16" y="16" width="96" height="64" fill="#d40000"/><rect x="28" y="30" width="16" height="36" fill="#fff"/>' +
  '<rect x="56" y="30" width="16" height="36" fill="#fff"/><rect x="84" y="30" width="16" height="36" fill="#fff"/></svg>';
// a Kotlin / crocodile-like silhouette in one saturated colour
const SILHOUETTE =
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#fff"/>` +
  '<path d="M10 70 L60 20 L118 70 Z" fill="#3f9b3a"/></svg>';

async function addImage(page: Page, name: string, svg: string): Promise<Locator> {
  return addPng(page, name, await sharp(Buffer.from(svg)).png().toBuffer());
}

async function downloadSvg(page: Page, card: Locator, testInfo: TestInfo): Promise<string> {
  return readFileSync(await downloadFromCard(page, card, 'SVG', testInfo), 'utf8');
}

/** Runs `change`, then waits for the card's next conversion to finish (`why` names it in failures). */
async function reconvert(page: Page, card: Locator, why: string, change: () => Promise<void>) {
  const response = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/convert') && r.request().method() === 'POST',
  );
  await change();
  expect((await response).status(), why).toBe(200);
  await (await response).finished();
  await expect(card.getByTestId('item-status'), why).toHaveCount(0, { timeout: 60_000 });
}

const pixel = (svg: string, [x, y]: [number, number]) => {
  const { data } = renderSvg(svg, W, H);
  return [...data.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)];
};
const CORNER: [number, number] = [2, 2];
const LETTER: [number, number] = [36, 48];
const PLATE_AT: [number, number] = [20, 20];

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
});

test('one card’s background: Transparent leaves a transparent corner, Colour paints it, the letters stay white', async ({
  page,
}, testInfo) => {
  // colour mode: one ink on transparency (mono) has holes where the letters are, by definition
  await page.getByRole('form', { name: 'Options for new images' }).getByLabel('Mode').selectOption('color');
  const card = await addImage(page, 'plate.png', PLATE);
  const other = await addImage(page, 'other.png', PLATE);
  const otherSrc = await other.getByRole('img', { name: /SVG result of other\.png/ }).getAttribute('src');
  const kept = await downloadSvg(page, card, testInfo);
  expect(pixel(kept, CORNER)).toEqual([255, 255, 255, 255]);
  expect(kept).toContain('<title>plate</title>');

  await card.getByText('Options for this image').click();
  const options = card.getByRole('form', { name: 'Options for plate.png' });
  await reconvert(page, card, '"background":"drop"', () =>
    options.getByRole('radio', { name: 'Transparent' }).check(),
  );
  const dropped = await downloadSvg(page, card, testInfo);
  expect(pixel(dropped, CORNER)[3]).toBe(0);
  expect(pixel(dropped, LETTER)).toEqual([255, 255, 255, 255]);
  expect(pixel(dropped, PLATE_AT)).toEqual([212, 0, 0, 255]);
  await attachScreenshot(card, testInfo, 'result-card-transparent');
  await attachScreenshot(card.getByTestId('palette-editor'), testInfo, 'palette-editor');

  await reconvert(page, card, '"replace":"#ffffff"', () =>
    options.getByRole('radio', { name: 'Colour', exact: true }).check(),
  );
  await reconvert(page, card, '#00aa00', () => options.getByLabel('Background colour').fill('#00aa00'));
  const replaced = await downloadSvg(page, card, testInfo);
  expect(pixel(replaced, CORNER)).toEqual([0, 170, 0, 255]);
  expect(pixel(replaced, LETTER)).toEqual([255, 255, 255, 255]);
  // the other card kept its own result
  expect(await other.getByRole('img', { name: /SVG result of other\.png/ }).getAttribute('src')).toBe(
    otherSrc,
  );
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('"Black & white" is black: one #000000 ink on white paper, another ink on request, transparent on request', async ({
  page,
}, testInfo) => {
  await page.getByRole('form', { name: 'Options for new images' }).getByLabel('Mode').selectOption('mono');
  const card = await addImage(page, 'croc.png', SILHOUETTE);
  const svg = await downloadSvg(page, card, testInfo);
  expect(listSwatches(svg).map((s) => s.color)).toEqual(['#ffffff', '#000000']);
  expect(pixel(svg, [60, 60])).toEqual([0, 0, 0, 255]);
  expect(pixel(svg, CORNER)).toEqual([255, 255, 255, 255]);

  await card.getByText('Options for this image').click();
  const options = card.getByRole('form', { name: 'Options for croc.png' });
  await reconvert(page, card, '#1d3557', () => options.getByLabel(/^Ink/).fill('#1d3557'));
  await reconvert(page, card, '"background":"drop"', () =>
    options.getByRole('radio', { name: 'Transparent' }).check(),
  );
  const inked = await downloadSvg(page, card, testInfo);
  expect(listSwatches(inked).map((s) => s.color)).toEqual(['#1d3557']);
  expect(pixel(inked, CORNER)[3]).toBe(0);
  await attachScreenshot(card, testInfo, 'result-card-mono');
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('the format menu’s SVG section: pretty, titled, in named layers, and rendered like the minified file', async ({
  page,
}, testInfo) => {
  const card = await addImage(page, 'brand logo.png', PLATE);
  const minified = await downloadSvg(page, card, testInfo);
  expect(minified).not.toContain('\n');
  const section = card.getByTestId('svg-options');
  await section.getByLabel('Style').selectOption('pretty');
  await section.getByLabel('Title').fill('Brand <Logo> & "Co"');
  await section.getByLabel('Layer ids (layer-1 …)').check();
  await attachScreenshot(card.getByTestId('format-menu'), testInfo, 'format-menu-svg');
  const pretty = await downloadSvg(page, card, testInfo);
  expect(pretty).toContain(
    '\n  <title>Brand &#60;Logo&#62; &#38; &#34;Co&#34;</title>\n  <g id="layer-1">\n    <path ',
  );
  const ids = [...pretty.matchAll(/<g id="(layer-\d+)">/g)].map((m) => m[1]);
  expect(ids).toEqual(listSwatches(minified).map((_, i) => `layer-${i + 1}`));
  expect(
    Buffer.compare(Buffer.from(renderSvg(pretty, W, H).data), Buffer.from(renderSvg(minified, W, H).data)),
  ).toBe(0);
  // the zip's SVG files: indented, in named layers, titled with their file name
  await page.getByRole('checkbox', { name: 'Indented' }).check();
  await page.getByRole('checkbox', { name: 'Layer ids', exact: true }).check();
  const [zipFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all (.zip)' }).click(),
  ]);
  const zipPath = testInfo.outputPath('all.zip');
  await zipFile.saveAs(zipPath);
  const { default: JSZip } = await import('jszip');
  const zipped = await (await JSZip.loadAsync(readFileSync(zipPath))).file('brand logo.svg')!.async('string');
  expect(zipped).toContain('\n  <title>brand logo</title>\n  <g id="layer-1">');
  // other formats ignore the SVG section
  await card.getByLabel('Format').selectOption({ label: 'PDF' });
  await expect(section).toHaveCount(0);
});

test('/history passes axe with this session’s results', async ({ page }) => {
  await addImage(page, 'plate.png', PLATE);
  await page.goto('/history');
  await expect(page.getByText('plate.png').first()).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
