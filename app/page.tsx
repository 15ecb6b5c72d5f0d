import { Converter } from '@/components/converter/converter';
import { getConfig } from '@/lib/config';

export default function HomePage() {
  return (
    <main id="main" className="page">
      <h1 className="page-title">Convert images to SVG</h1>
      <p className="page-lead">
        Logos, icons, word marks and illustrations become clean, small SVG. Everything is measured: SSIM shows
        how faithful each result is.
      </p>
      <Converter autoBatchFiles={getConfig().batch.autoFiles} />
    </main>
  );
}
