import { parseListQuery } from './job-list-query';

describe('parseListQuery', () => {
  it('defaults to 20 of any status', () => {
    expect(parseListQuery({})).toEqual({ statuses: [], limit: 20 });
  });

  it('reads comma-separated and repeated statuses, the limit and the cursor', () => {
    expect(parseListQuery({ status: ['failed,cancelled', 'failed'], limit: '100', cursor: 'abc' })).toEqual({
      statuses: ['failed', 'cancelled'],
      limit: 100,
      cursor: 'abc',
    });
  });

  it.each([
    [{ status: 'done' }, 'status'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
  ])('refuses %j with INVALID_OPTION on %s', (query, param) => {
    expect(() => parseListQuery(query)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: { param } }));
  });
});
