import { BatchPage } from '@/components/batches/batch-page';

export const metadata = { title: 'Batches · AI SVG Converter' };

export default function BatchesPage() {
  return (
    <main id="main" className="page">
      <h1 className="page-title">Convert a whole folder</h1>
      <p className="page-lead">
        Drop a folder or many images: they convert on the server as one batch, you can leave the page and come
        back (the address names the batch), and the results come back as one zip with a manifest.
      </p>
      <BatchPage />
    </main>
  );
}
