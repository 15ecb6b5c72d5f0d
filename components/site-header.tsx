/** The header on every page: product name and the main navigation. */
import Link from 'next/link';

const LINKS = [
  { href: '/', label: 'Convert' },
  { href: '/batches', label: 'Batches' },
  { href: '/history', label: 'History' },
  { href: '/docs/api', label: 'API' },
  { href: '/account', label: 'Account' },
];

export function SiteHeader() {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24">
          <path fill="#0b63ce" d="M3 17.5 9.5 4l4 8 2.5-4L21 17.5z" />
        </svg>
        AI SVG Converter
      </Link>
      <nav aria-label="Main">
        {LINKS.map((l) => (
          <Link key={l.href} href={l.href}>
            {l.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
