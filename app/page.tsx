export default function HomePage() {
  return (
    <main>
      <h1>AI SVG Converter</h1>
    </main>
  );
}
