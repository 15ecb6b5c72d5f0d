/** The TrueType fonts word marks are set in, shipped by the dejavu-fonts-ttf dev dependency (no system fonts). */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type FontStyle = {
  file: string;
  family: string;
  weight: number;
  italic: boolean;
  condensed: boolean;
};

const STYLES: [name: string, family: string, weight: number, italic: boolean, condensed: boolean][] = [
  ['DejaVuSans.ttf', 'DejaVu Sans', 400, false, false],
  ['DejaVuSans-Bold.ttf', 'DejaVu Sans', 700, false, false],
  ['DejaVuSans-Oblique.ttf', 'DejaVu Sans', 400, true, false],
  ['DejaVuSans-BoldOblique.ttf', 'DejaVu Sans', 700, true, false],
  ['DejaVuSans-ExtraLight.ttf', 'DejaVu Sans', 200, false, false],
  ['DejaVuSansCondensed-Bold.ttf', 'DejaVu Sans', 700, false, true],
  ['DejaVuSerif.ttf', 'DejaVu Serif', 400, false, false],
  ['DejaVuSerif-Bold.ttf', 'DejaVu Serif', 700, false, false],
  ['DejaVuSerif-Italic.ttf', 'DejaVu Serif', 400, true, false],
  ['DejaVuSerifCondensed-Bold.ttf', 'DejaVu Serif', 700, false, true],
  ['DejaVuSansMono.ttf', 'DejaVu Sans Mono', 400, false, false],
  ['DejaVuSansMono-Bold.ttf', 'DejaVu Sans Mono', 700, false, false],
];

let fontDir: string | null = null;

function resolveFontDir(): string {
  fontDir ??= path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return fontDir;
}

/** Every style word marks may use, with absolute file paths. */
export function listFontStyles(): FontStyle[] {
  const dir = resolveFontDir();
  return STYLES.map(([name, family, weight, italic, condensed]) => ({
    file: path.join(dir, name),
    family,
    weight,
    italic,
    condensed,
  }));
}

/** Font files to hand to renderSvg for any dataset SVG that contains <text>. */
export function datasetFontFiles(): string[] {
  return listFontStyles().map((s) => s.file);
}

/** Licence of the word-mark glyphs (package.json only says "SEE LICENSE IN ..."; its LICENSE is Bitstream Vera's). */
export function fontLicense(): string {
  const pkg = require('dejavu-fonts-ttf/package.json') as { license?: string };
  return pkg.license && !pkg.license.startsWith('SEE LICENSE') ? pkg.license : 'Bitstream-Vera';
}
