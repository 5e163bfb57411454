// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from '../test/render';
import { InertText } from './inert-text';

describe('<InertText>', () => {
  it('renders markup in log text as text, never as elements', () => {
    const { container } = render(<InertText text={'<img src=x onerror="alert(1)"><script>alert(2)</script>'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror="alert(1)"><script>alert(2)</script>');
  });

  it('shows ANSI escapes inert and links only http(s)', () => {
    const { container } = render(<InertText text={'\x1b[31mfail\x1b[0m see http://example.com/a and javascript:alert(1)'} />);
    expect(container.textContent).toBe('^[[31mfail^[[0m see http://example.com/a and javascript:alert(1)');
    const links = container.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('http://example.com/a');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });
});
