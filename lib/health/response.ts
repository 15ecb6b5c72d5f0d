/** JSON Response for a health answer; never cached by browsers or proxies. */
import type { HealthAnswer } from './endpoints';

export function healthResponse(answer: HealthAnswer): Response {
  return Response.json(answer.body, {
    status: answer.httpStatus,
    headers: { 'cache-control': 'no-store, max-age=0' },
  });
}
