// What a designer does after converting, in a real browser: swatches (recolour, merge, remove), per-image options
// with undo, every download format read back, progress stages, folder upload and the batch summary, results that
// survive a reload, a first batch of 4 all in the history with its originals, and the phone layout. Screenshots
// of the result card, the palette editor and the format menu are attached to the report (test-results/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import DxfParser from 'dxf-parser';
import sharp from 'sharp';
import { measureSsim, renderSvg, type RgbaImage } from '@/lib/quality';
import { listSwatches } from '@/lib/palette/svg-colors';
import { addPng, attachScreenshot, downloadFromCard } from '@/test/support/result-card';

const FIXTURES = path.resolve('test/fixtures/api');
const LOGO = path.join(FIXTURES, 'logo-256.png');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** A flat three-colour logo on white: predictable swatches (#fff, #d62828, #1d3557). */
async function flatLogo(): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><rect width="128" height="128" fill="#fff"/>' +
    '<circle cx="64" cy="64" r="44" fill="#d62828"/><rect x="34" y="56" width="60" height="16" fill="#1d3557"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function addLogo(page: Page, name = 'brand.png'): Promise<Locator> {
  return addPng(page, name, await flatLogo());
}

const download = downloadFromCard;

const swatchesOf = (card: Locator) => card.getByTestId('palette-editor').locator('li[data-color]');

async function readPng(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
});

test('swatches: recolour one, merge two, and the downloaded SVG has exactly those colours', async ({
  page,
}, testInfo) => {
  const card = await addLogo(page);
  await expect(swatchesOf(card)).toHaveCount(3);
  await attachScreenshot(card.getByTestId('palette-editor'), testInfo, 'palette-editor');

  // recolour the red
  await card.getByLabel('Recolour #d62828').fill('#00aa55');
  await expect(card.locator('li[data-color="#00aa55"]')).toBeVisible();
  // merge navy into the new green
  await card.getByLabel('Merge #1d3557 into').selectOption('#00aa55');
  await expect(swatchesOf(card)).toHaveCount(2);

  const svg = readFileSync(await download(page, card, 'SVG', testInfo), 'utf8');
  expect(listSwatches(svg).map((s) => s.color)).toEqual(['#ffffff', '#00aa55']);
  const render = renderSvg(svg, 128, 128);
  const at = (x: number, y: number) => [...render.data.slice((y * 128 + x) * 4, (y * 128 + x) * 4 + 3)];
  expect(at(64, 30)).toEqual([0x00, 0xaa, 0x55]); // the circle
  expect(at(64, 64)).toEqual([0x00, 0xaa, 0x55]); // the bar, merged
  // the preview shows the edit at once (no conversion ran for it)
  await expect(card.getByRole('img', { name: /SVG result of brand\.png/ })).toBeVisible();

  // undo twice: back to the three original colours
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(swatchesOf(card)).toHaveCount(3);
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card.locator('li[data-color="#d62828"]')).toBeVisible();
});

test('removing a middle layer re-traces without it; removing the background leaves it transparent at once', async ({
  page,
}, testInfo) => {
  const card = await addLogo(page);
  const posts: string[] = [];
  page.on('request', (r) => r.url().endsWith('/api/v1/convert') && posts.push(r.url()));

  // the red circle has the navy bar painted over it and the white under it: removing it needs a re-trace
  await page.route('**/api/v1/convert', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await card.getByRole('button', { name: 'Remove #d62828' }).click();
  await expect(card.getByTestId('item-status')).toContainText('previous result stays');
  await expect(card.getByRole('img', { name: /SVG result of brand\.png/ })).toBeVisible();
  await expect(card.locator('li[data-color="#d62828"]')).toHaveCount(0, { timeout: 60_000 });
  await expect(card.getByTestId('item-status')).toHaveCount(0, { timeout: 60_000 });
  expect(posts).toHaveLength(1);
  const retraced = readFileSync(await download(page, card, 'SVG', testInfo), 'utf8');
  expect(listSwatches(retraced).map((s) => s.color)).toEqual(['#ffffff', '#1d3557']);
  const r = renderSvg(retraced, 128, 128);
  expect(r.data[(30 * 128 + 64) * 4 + 3]).toBe(0); // where the circle was: transparent, not white
  expect(r.data[(2 * 128 + 2) * 4 + 3]).toBe(255); // the background is still there

  // the background is the bottom stacked layer: removed at once, no conversion
  await card.getByRole('button', { name: 'Remove #ffffff' }).click();
  await expect(swatchesOf(card)).toHaveCount(1);
  expect(posts).toHaveLength(1);
  const png = await readPng(await download(page, card, 'PNG', testInfo));
  const alpha = (x: number, y: number) => png.data[(y * png.width + x) * 4 + 3];
  expect(alpha(2, 2)).toBe(0);
  expect(alpha(64, 30)).toBe(0);
  expect(alpha(64, 64)).toBe(255);
});

test('per-image options re-convert that image only, keep the previous result until the new one, and undo', async ({
  page,
}, testInfo) => {
  const a = await addLogo(page, 'a.png');
  const b = await addLogo(page, 'b.png');
  const bSvgBefore = await b.getByRole('img', { name: /SVG result of b\.png/ }).getAttribute('src');
  // every conversion's result, read from the end of its progress stream
  const bodies: { params: { layering: string; curveTolerance: number } }[] = [];
  page.on('response', async (r) => {
    if (r.request().method() !== 'POST' || !r.url().endsWith('/api/v1/convert')) return;
    const lines = (await r.text()).trim().split('\n');
    bodies.push(JSON.parse(lines.at(-1)!).result);
  });
  // the defaults panel changes nothing on the page
  await page.getByRole('form', { name: 'Options for new images' }).getByLabel('Mode').selectOption('mono');
  await page.waitForTimeout(1000);
  expect(bodies).toHaveLength(0);

  await a.getByText('Options for this image').click();
  const options = a.getByRole('form', { name: 'Options for a.png' });
  await options.getByText('Advanced').click();
  // hold the request a moment, so the state between the change and the new result can be looked at
  await page.route('**/api/v1/convert', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await options.getByRole('radio', { name: 'Cutout (for cutters)' }).check();
  // the old result is still shown while the new one converts
  await expect(a.getByTestId('item-status')).toContainText('previous result stays');
  await expect(a.getByRole('img', { name: /SVG result of a\.png/ })).toBeVisible();
  await expect(a.getByTestId('item-status')).toHaveCount(0, { timeout: 60_000 });
  await expect.poll(() => bodies.length).toBe(1);
  expect(bodies[0].params.layering).toBe('cutout');
  // b was not touched
  expect(await b.getByRole('img', { name: /SVG result of b\.png/ }).getAttribute('src')).toBe(bSvgBefore);
  await attachScreenshot(a, testInfo, 'result-card');

  // the advanced section's curve control re-converts too (live preview), then undo returns to stacked layers
  await options.getByLabel(/Curve fitting/).fill('1.5');
  await expect.poll(() => bodies.length, { timeout: 60_000 }).toBe(2);
  expect(bodies[1].params).toMatchObject({ layering: 'cutout', curveTolerance: 1.5 });
  await expect(a.getByTestId('item-status')).toHaveCount(0, { timeout: 60_000 });
  await a.getByRole('button', { name: 'Undo' }).click();
  await a.getByRole('button', { name: 'Undo' }).click();
  await expect(options.getByRole('radio', { name: 'Stacked (no seams)' })).toBeChecked();
  expect(bodies).toHaveLength(2);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('every format downloads from the format menu and reads back', async ({ page }, testInfo) => {
  const card = await addLogo(page);
  await card.getByLabel('Format').selectOption({ label: 'PDF' });
  await attachScreenshot(card.getByTestId('format-menu'), testInfo, 'format-menu');
  const svg = readFileSync(await download(page, card, 'SVG', testInfo), 'utf8');
  const reference = renderSvg(svg, 128, 128);
  const dir = testInfo.outputPath('read-back');
  mkdirSync(dir, { recursive: true });

  const pdf = await download(page, card, 'PDF', testInfo);
  expect(path.basename(pdf)).toBe('brand.pdf');
  execFileSync('pdftoppm', ['-r', '72', '-png', '-singlefile', pdf, path.join(dir, 'pdf')]);
  expect(measureSsim(await readPng(path.join(dir, 'pdf.png')), reference).ssim).toBeGreaterThan(0.97);

  const eps = await download(page, card, 'EPS', testInfo);
  execFileSync('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-dEPSCrop',
    '-sDEVICE=png16m',
    '-r72',
    `-sOutputFile=${path.join(dir, 'eps.png')}`,
    eps,
  ]);
  expect(measureSsim(await readPng(path.join(dir, 'eps.png')), reference).ssim).toBeGreaterThan(0.95);

  const dxf = new DxfParser().parseSync(readFileSync(await download(page, card, 'DXF', testInfo), 'utf8'))!;
  expect(Object.keys(dxf.tables.layer.layers).filter((l) => l.startsWith('layer-'))).toEqual([
    'layer-1-ffffff',
    'layer-2-d62828',
    'layer-3-1d3557',
  ]);
  expect(dxf.entities.every((e) => e.type === 'LWPOLYLINE' && (e as { shape?: boolean }).shape)).toBe(true);

  const png4 = await readPng(await download(page, card, 'PNG 4×', testInfo));
  expect([png4.width, png4.height]).toEqual([512, 512]);

  // the zip carries the chosen formats and a summary
  await page.getByRole('checkbox', { name: 'PDF' }).check();
  const [zipFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all (.zip)' }).click(),
  ]);
  const zipPath = testInfo.outputPath('all.zip');
  await zipFile.saveAs(zipPath);
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  expect(Object.keys(zip.files).sort()).toEqual(['brand.pdf', 'brand.svg', 'summary.csv']);
  expect(await zip.file('summary.csv')!.async('string')).toMatch(
    /^file,type,tier,ssim,svg_bytes,input_bytes,error\n"brand.png",/,
  );
});

test('a large image shows the real stages: upload, decode, analyse, trace, measure', async ({
  page,
}, testInfo) => {
  // 2000 px, detailed: long enough to see each stage
  const big = await sharp(readFileSync(path.join(FIXTURES, 'gradient.jpg')))
    .resize(2000, 2000)
    .png()
    .toBuffer();
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="item-status"]')) {
        const text = (el.textContent ?? '').replace(/\d+%/, '%');
        if (seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('radio', { name: 'Balanced' }).check();
  await page.locator('#file-input').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
  const card = page.getByRole('article', { name: 'big.png' });
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/, { timeout: 120_000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  writeFileSync(testInfo.outputPath('stages.json'), JSON.stringify(seen, null, 1));
  for (const stage of ['Uploading', 'Decoding', 'Analysing', 'Tracing', 'Measuring']) {
    expect(
      seen.some((s) => s.startsWith(stage)),
      `${stage} in ${seen.join(' | ')}`,
    ).toBe(true);
  }
  // in that order
  const order = ['Uploading', 'Decoding', 'Analysing', 'Tracing', 'Measuring'].map((s) =>
    seen.findIndex((t) => t.startsWith(s)),
  );
  expect(order).toEqual([...order].sort((x, y) => x - y));
});

test('a picked folder converts as one batch, summarised', async ({ page }, testInfo) => {
  const folder = testInfo.outputPath('icons');
  mkdirSync(path.join(folder, 'sub'), { recursive: true });
  writeFileSync(path.join(folder, 'one.png'), await flatLogo());
  writeFileSync(path.join(folder, 'sub', 'two.png'), readFileSync(LOGO));
  writeFileSync(path.join(folder, 'broken.png'), 'not a png');
  writeFileSync(path.join(folder, 'notes.txt'), 'skipped: not an image');
  await page.locator('#folder-input').setInputFiles(folder);
  const summary = page.getByTestId('batch-summary');
  await expect(summary.getByRole('row', { name: /icons \(3 images\)/ })).toContainText('2 of 3', {
    timeout: 60_000,
  });
  await expect(summary.getByRole('row', { name: /icons/ }).locator('td').nth(1)).toHaveText('1');
  await expect(page.getByRole('article', { name: 'icons/sub/two.png' }).getByTestId('ssim')).toHaveText(
    /\d\.\d{3}/,
  );
  await expect(page.getByRole('article', { name: 'icons/broken.png' }).getByRole('alert')).toBeVisible();
});

test('results, edits and options survive a reload', async ({ page }) => {
  const card = await addLogo(page);
  await card.getByLabel('Recolour #d62828').fill('#123456');
  await expect(card.locator('li[data-color="#123456"]')).toBeVisible();
  const ssim = await card.getByTestId('ssim').textContent();
  // let the page store the edit
  await page.waitForTimeout(800);
  const posts: string[] = [];
  page.on('request', (r) => r.url().endsWith('/api/v1/convert') && posts.push(r.url()));
  await page.reload();
  const again = page.getByRole('article', { name: 'brand.png' });
  await expect(again.getByTestId('ssim')).toHaveText(ssim!);
  await expect(again.locator('li[data-color="#123456"]')).toBeVisible();
  await expect(again.getByRole('img', { name: 'Original brand.png' })).toBeVisible();
  expect(posts).toHaveLength(0);
  // and undo still goes back past the reload
  await again.getByRole('button', { name: 'Undo' }).click();
  await expect(again.locator('li[data-color="#d62828"]')).toBeVisible();
});

test('a fresh browser’s first batch of 4 is all in the history, each with its original', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
  const logo = readFileSync(LOGO);
  const names = ['first-a.png', 'first-b.png', 'first-c.png', 'first-d.png'];
  // four different images, dropped at once
  const files = await Promise.all(
    names.map(async (name, i) => ({
      name,
      mimeType: 'image/png',
      buffer: await sharp(logo)
        .rotate(90 * i)
        .png()
        .toBuffer(),
    })),
  );
  await page.locator('#file-input').setInputFiles(files);
  await expect(page.getByTestId('ssim')).toHaveCount(4, { timeout: 60_000 });
  for (const el of await page.getByTestId('ssim').all()) await expect(el).toHaveText(/\d\.\d{3}/);
  await page.goto('/history');
  for (const name of names) await expect(page.getByRole('link', { name })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Your 4 most recent conversions');
  await page.getByRole('link', { name: 'first-b.png' }).click();
  const original = page.getByRole('img', { name: 'Original first-b.png' });
  await expect
    .poll(() => original.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(256);
  await expect(page.getByRole('img', { name: 'SVG result of first-b.png' })).toBeVisible();
  const pdf = await page.request.get(`${new URL(page.url()).pathname}/download?format=pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await context.close();
});

test('on a phone the results come before the options, and there is no keyboard paste hint', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('drop-hint')).toHaveText('PNG, JPEG, WebP, GIF, TIFF or AVIF');
  await page.locator('#file-input').setInputFiles(LOGO);
  const card = page.getByRole('article', { name: 'logo-256.png' });
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  const resultsTop = (await page.getByRole('heading', { name: /^Results/ }).boundingBox())!.y;
  const optionsTop = (await page.getByRole('heading', { name: 'Options for new images' }).boundingBox())!.y;
  const dropTop = (await page.getByTestId('drop-zone').boundingBox())!.y;
  expect(dropTop).toBeLessThan(resultsTop);
  expect(resultsTop).toBeLessThan(optionsTop);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await attachScreenshot(page, testInfo, 'converter-phone');
  await context.close();
});

test('with a keyboard, the drop zone says how to paste', async ({ page }) => {
  await expect(page.getByTestId('drop-hint')).toHaveText(/or paste with (Ctrl\+V|⌘V)$/);
});
