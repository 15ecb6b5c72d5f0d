/** Any path under /api that no route serves: a problem+json 404 instead of the HTML page (lib/api/method-guard.ts). */
import { unknownApiPath } from '@/lib/api/method-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = unknownApiPath();
