// Shedding before the body is read: a full conversion queue or a spent upload budget is a 503 with Retry-After,
// and a request's bytes count against the budget until it is answered.
import { describe, expect, it } from 'vitest';
import { ApiError } from './problem';
import { admitUpload, UploadBudget } from './upload-admission';

const upload = (length?: number) =>
  new Request('http://localhost/api/v1/convert', {
    method: 'POST',
    headers: length === undefined ? {} : { 'content-length': String(length) },
  });

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('admitted');
}

describe('admitUpload', () => {
  it('refuses with 503 when the conversion queue is full, without reserving anything', () => {
    const budget = new UploadBudget(100);
    const err = refusal(() => admitUpload(upload(10), 50, { budget, poolHasRoom: () => false }));
    expect(err).toMatchObject({ status: 503, problemType: 'overloaded', headers: { 'retry-after': '2' } });
    expect(budget.free).toBe(100);
  });

  it('reserves the declared length (or the cap when none is declared) until released', () => {
    const budget = new UploadBudget(100);
    const opts = { budget, poolHasRoom: () => true };
    const a = admitUpload(upload(40), 50, opts);
    const b = admitUpload(upload(), 50, opts); // chunked: the cap
    expect(budget.free).toBe(10);
    expect(refusal(() => admitUpload(upload(20), 50, opts)).status).toBe(503);
    a();
    a(); // releasing twice frees once
    expect(budget.free).toBe(50);
    const c = admitUpload(upload(20), 50, opts);
    b();
    c();
    expect(budget.free).toBe(100);
  });

  it('still admits one upload as large as the whole budget, alone', () => {
    const budget = new UploadBudget(30);
    const release = admitUpload(upload(), 50, { budget, poolHasRoom: () => true });
    expect(budget.free).toBe(0);
    release();
  });
});
