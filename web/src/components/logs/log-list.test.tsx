// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flattenStreams } from '../../lib/log-rows';
import { fireEvent, render, screen } from '../../test/render';
import { LogList } from './log-list';

const rows = flattenStreams([
  {
    stream: { service: 'api', level: 'error' },
    values: [['1700000000000000000', '{"msg":"boom","user":"<script>alert(1)</script>"}', { trace_id: 'abc' }]],
  },
]);

describe('<LogList>', () => {
  // happy-dom does no layout: give the scroll box the size a browser would, so rows are in range.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
  });
  afterEach(() => vi.restoreAllMocks());

  it('expands a line into its labels, fields and pretty JSON, all as text', () => {
    const { container } = render(<LogList rows={rows} height={400} renderActions={() => <button>Show context</button>} />);
    const line = container.querySelector('.log-line-main') as HTMLElement;
    expect(container.querySelector('.log-line')!.getAttribute('data-level')).toBe('error');
    fireEvent.click(line);
    expect(screen.getByRole('button', { name: 'Show context' })).toBeTruthy();
    const details = container.querySelector('.log-details')!;
    expect(details.textContent).toContain('serviceapi');
    expect(details.textContent).toContain('trace_idabc');
    expect(container.querySelector('.json-view')!.textContent).toContain('"user": "<script>alert(1)</script>"');
    expect(container.querySelector('script')).toBeNull();
    fireEvent.click(line);
    expect(container.querySelector('.log-details')).toBeNull();
  });
});
