/** GET /history/{id}/download?format=pdf: a recorded conversion's SVG as a file in any output format. */
import { fileResponse } from '@/lib/api/export-endpoint';
import { exportFormatSchema, titleFromFileName } from '@/lib/export';
import { getConversion } from '@/lib/db/conversions';
import { isConversionError } from '@/lib/errors/conversion-error';
import { getHistoryOwner } from '../../history-owner';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const query = new URL(request.url).searchParams;
  const format = exportFormatSchema.safeParse(query.get('format') ?? 'svg');
  if (!format.success)
    return text(`Unknown format; choose one of ${exportFormatSchema.options.join(', ')}.`, 400);
  const scale = Number(query.get('scale') ?? 1);
  if (!(scale >= 0.1 && scale <= 16)) return text('The scale must be between 0.1 and 16.', 400);
  const owner = await getHistoryOwner();
  const conversion = owner ? await getConversion(id, owner).catch(() => null) : null;
  if (!conversion) return text('Not found', 404);
  try {
    return await fileResponse(
      conversion.svg,
      format.data,
      {
        scale,
        fileName: conversion.fileName ?? `conversion-${conversion.id}`,
        ...(conversion.fileName ? { title: titleFromFileName(conversion.fileName) } : {}),
      },
      { 'cache-control': 'private, no-cache', vary: 'cookie' },
    );
  } catch (error) {
    if (isConversionError(error)) return text(error.message, error.status);
    throw error;
  }
}
