// The conversion page in a real browser: drop a PNG, see the comparison and SSIM, download a valid SVG;
// an invalid file shows its error next to it; screenshots are kept as artifacts under test-results/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { expect, test, type Page } from '@playwright/test';

const FIXTURES = path.resolve('test/fixtures/api');
const LOGO = path.join(FIXTURES, 'logo-256.png');

/** Drops files on the drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropFiles(page: Page, files: { name: string; type: string; path: string }[]) {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.type,
    base64: readFileSync(f.path).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return dt;
  }, payload);
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

test('drop a PNG, compare, read SSIM and download a valid SVG', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Convert images to SVG' })).toBeVisible();

  await dropFiles(page, [{ name: 'logo-256.png', type: 'image/png', path: LOGO }]);

  const card = page.getByRole('article', { name: 'logo-256.png' });
  await expect(card).toBeVisible();
  const ssim = card.getByTestId('ssim');
  await expect(ssim).toHaveText(/^(0\.\d{3}|1\.000)$/);
  expect(Number(await ssim.textContent())).toBeGreaterThan(0.8);

  // The SVG preview is an <img> (blob: URL) that really rendered, never inlined markup.
  const preview = card.getByRole('img', { name: 'SVG result of logo-256.png' });
  await expect(preview).toBeVisible();
  await expect
    .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  expect(await preview.getAttribute('src')).toMatch(/^blob:/);
  expect(await card.locator('svg path').count()).toBe(0);

  await expect(card.getByText('Image type')).toBeVisible();
  await expect(card.getByText('SVG size')).toBeVisible();

  // Shared zoom: zooming one pane zooms the other.
  await card.getByRole('button', { name: 'Zoom in' }).click();
  await expect(card.getByLabel('Zoom level')).toHaveText('125%');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'Download SVG' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('logo-256.svg');
  const file = testInfo.outputPath('logo-256.svg');
  await download.saveAs(file);
  const svg = readFileSync(file, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  // It parses and renders as an SVG of the original's size.
  const rendered = new Resvg(svg).render();
  expect(rendered.width).toBe(256);
  expect(rendered.height).toBe(256);

  await page.screenshot({ path: 'test-results/converter-desktop.png', fullPage: true });
  await testInfo.attach('converter-desktop', {
    path: 'test-results/converter-desktop.png',
    contentType: 'image/png',
  });
});

test('an invalid file shows its error next to it', async ({ page }) => {
  await page.goto('/');
  await page.locator('#file-input').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('This is a text file, not an image.\n'),
  });
  const card = page.getByRole('article', { name: 'notes.txt' });
  const alert = card.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Could not convert this file');
  await expect(alert).toContainText(/not an image|unsupported|Unrecognised/i);
  await expect(page.getByRole('heading', { name: 'Convert images to SVG' })).toBeVisible();
});

test('usable at phone width and remembers the options', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const defaults = page.getByRole('form', { name: 'Options for new images' });
  await defaults.getByLabel('Mode').selectOption('mono');
  await page.getByRole('radio', { name: 'Fast' }).check();
  await page.locator('#file-input').setInputFiles(LOGO);
  const card = page.getByRole('article', { name: 'logo-256.png' });
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  // Nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/converter-phone.png', fullPage: true });

  await page.reload();
  await expect(defaults.getByLabel('Mode')).toHaveValue('mono');
  await expect(page.getByRole('radio', { name: 'Fast' })).toBeChecked();
});

test('several files: copy one SVG, download all as a zip', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
  await page.locator('#file-input').setInputFiles([LOGO, path.join(FIXTURES, 'gradient.jpg')]);
  await expect(page.getByTestId('ssim')).toHaveCount(2);
  await expect(page.getByTestId('ssim').nth(1)).toHaveText(/\d\.\d{3}/);
  await expect(page.getByRole('heading', { name: /Results/ })).toContainText('(2 of 2)');

  const card = page.getByRole('article', { name: 'logo-256.png' });
  await card.getByRole('button', { name: 'Copy SVG code' }).click();
  await expect(card.getByText('Copied to clipboard')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all (.zip)' }).click(),
  ]);
  const zipPath = testInfo.outputPath('all.zip');
  await download.saveAs(zipPath);
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const names = Object.keys(zip.files).sort();
  // the SVGs, and a summary line per image
  expect(names).toEqual(['gradient.svg', 'logo-256.svg', 'summary.csv']);
  expect((await zip.file('summary.csv')!.async('string')).trim().split('\n')).toHaveLength(3);
  for (const name of names.filter((n) => n.endsWith('.svg'))) {
    const svg = await zip.file(name)!.async('string');
    expect(new Resvg(svg).render().width).toBeGreaterThan(0);
  }
});

test('paste an image from the clipboard', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
  const base64 = readFileSync(LOGO).toString('base64');
  await page.evaluate((b64) => {
    const dt = new DataTransfer();
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, base64);
  // Clipboard images arrive unnamed ("image.png"), so they get a readable, distinct name.
  const card = page.getByRole('article', { name: 'Pasted image 1.png' });
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
});

test('a rate-limited upload waits for Retry-After and then converts', async ({ page }) => {
  let refused = 0;
  // The server's 429 itself is covered by the route tests; here the page's reaction to one is under test.
  await page.route('**/api/v1/convert', async (route) => {
    if (refused++ === 0) {
      await route.fulfill({
        status: 429,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
        body: JSON.stringify({
          type: '/docs/api#problem-rate-limited',
          title: 'Too many requests',
          status: 429,
        }),
      });
    } else {
      await route.continue();
    }
  });
  await page.goto('/');
  await page.getByRole('radio', { name: 'Fast' }).check();
  // Reload so the option change's delayed re-conversion is not pending when the file arrives.
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Fast' })).toBeChecked();
  await page.locator('#file-input').setInputFiles(LOGO);
  const card = page.getByRole('article', { name: 'logo-256.png' });
  await expect(card.getByText(/Server busy, retrying in \d s/)).toBeVisible();
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  expect(refused).toBe(2);
});

test('the options panel sets the defaults for new images; "Apply to all" converts every image again', async ({
  page,
}) => {
  const isConvert = (url: string, method: string) => method === 'POST' && url.endsWith('/api/v1/convert');
  let posts = 0;
  page.on('request', (r) => {
    if (isConvert(r.url(), r.method())) posts++;
  });
  await page.goto('/');
  await page.locator('#file-input').setInputFiles(LOGO);
  const card = page.getByRole('article', { name: 'logo-256.png' });
  await expect(card.getByTestId('ssim')).toHaveText(/\d\.\d{3}/);
  expect(posts).toBe(1);

  // a new default converts nothing already on the page
  await page.getByRole('form', { name: 'Options for new images' }).getByLabel('Mode').selectOption('mono');
  await page.waitForTimeout(1200);
  expect(posts).toBe(1);

  const again = page.waitForResponse((r) => isConvert(r.url(), r.request().method()));
  await page.getByRole('button', { name: 'Apply these options to all images' }).click();
  // the progress stream's last line is the result
  const lines = (await (await again).text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const result = lines.at(-1).result;
  expect(result.params.mode).toBe('mono');
  expect(posts).toBe(2);
  await expect(card.getByTestId('ssim')).toHaveText(result.quality.ssim.toFixed(3));
  await expect(card.getByTestId('target')).toHaveText(
    `${result.targetMet ? 'met' : 'missed'} (${result.target.toFixed(3)})`,
  );
});
