import { describe, expect, it } from 'vitest';
import { lineLink, readExploreState, writeExploreState } from './explore-url-state';

describe('explore URL state', () => {
  it('round-trips through the URL', () => {
    const state = readExploreState(new URLSearchParams('query=%7Bapp%3D%22a%22%7D&from=now-6h&to=now&limit=5000&dir=forward&live=1'));
    expect(state).toEqual({ query: '{app="a"}', range: { from: 'now-6h', to: 'now' }, limit: 5000, direction: 'forward', live: true, line: null });
    expect(readExploreState(writeExploreState(state))).toEqual(state);
  });

  it('falls back to defaults for junk', () => {
    expect(readExploreState(new URLSearchParams('limit=7&line=abc'))).toMatchObject({ limit: 1000, line: null, range: { from: 'now-1h', to: 'now' } });
  });

  it('links to a line', () => {
    const url = new URL(lineLink('http://h', '{a="b"}', 1_000_000, '1000000000001'));
    expect(url.pathname).toBe('/explore');
    expect(Object.fromEntries(url.searchParams)).toEqual({ query: '{a="b"}', from: '940000', to: '1060000', line: '1000000000001' });
  });
});
