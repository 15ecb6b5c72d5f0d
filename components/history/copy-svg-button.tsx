'use client';
/** Copies a recorded SVG's code to the clipboard, with a spoken confirmation. */
import { useState } from 'react';
import { copyText } from '@/components/converter/download';

export function CopySvgButton({ svg }: { svg: string }) {
  const [state, setState] = useState<'idle' | 'ok' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        onClick={async () => {
          setState((await copyText(svg)) ? 'ok' : 'failed');
          setTimeout(() => setState('idle'), 2000);
        }}
      >
        Copy SVG code
      </button>
      <span role="status">
        {state === 'ok' ? 'Copied to clipboard' : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </>
  );
}
