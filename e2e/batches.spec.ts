// The batch page in a real browser: files go to the server as one batch, every file's state follows live, a bad
// file fails alone, and the zip downloads with its manifest; a large drop on / is handed to a batch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const FIXTURES = path.resolve('test/fixtures/api');

function logo(i: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="white"/><circle cx="${20 + i * 3}" cy="32" r="14" fill="hsl(${i * 50},80%,45%)"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

test('a batch of files converts on the server, shows each file live and downloads as one zip', async ({
  page,
}) => {
  await page.goto('/batches');
  await expect(page.getByRole('heading', { name: 'Convert a whole folder' })).toBeVisible();
  const files = await Promise.all(
    [1, 2, 3].map(async (i) => ({ name: `logo-${i}.png`, mimeType: 'image/png', buffer: await logo(i) })),
  );
  await page.locator('#file-input').setInputFiles([
    ...files,
    {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: readFileSync(path.join(FIXTURES, 'not-an-image.txt')),
    },
  ]);
  await expect(page).toHaveURL(/\/batches\?id=\w+/);
  await expect(page.getByTestId('batch-status')).toHaveText('done');
  await expect(page.getByTestId('batch-item')).toHaveCount(4);
  await expect(page.locator('[data-testid="batch-item"][data-state="done"]')).toHaveCount(3);
  await expect(page.locator('[data-testid="batch-item"][data-state="failed"]')).toHaveText(/notes\.txt/);
  await expect(page.getByTestId('batch-progress')).toHaveText(/4 of 4 finished · 3 done · 1 failed/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('batch-download').click(),
  ]);
  const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
  const names = Object.keys(zip.files).sort();
  expect(names).toEqual(['logo-1.svg', 'logo-2.svg', 'logo-3.svg', 'manifest.csv', 'manifest.json']);
  expect(await zip.file('logo-2.svg')!.async('string')).toMatch(/^<svg/);
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  expect(manifest.items).toHaveLength(4);

  // a reload finds the batch again from the address
  await page.reload();
  await expect(page.getByTestId('batch-status')).toHaveText('done');
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('more files than BATCH_AUTO_FILES dropped on the converter go through a batch', async ({ page }) => {
  await page.goto('/');
  const files = await Promise.all(
    Array.from({ length: 11 }, async (_, i) => ({
      name: `many-${i}.png`,
      mimeType: 'image/png',
      buffer: await logo(i),
    })),
  );
  await page.locator('#file-input').setInputFiles(files);
  await expect(page).toHaveURL(/\/batches\?id=\w+/);
  await expect(page.getByTestId('batch-item')).toHaveCount(11);
  await expect(page.getByTestId('batch-status')).toHaveText('done', { timeout: 110_000 });
});
