import { useEffect, useState } from 'react';

/** Current values of CSS colour variables (canvas cannot use var()); re-read when the theme changes. */
export function useCssColors<K extends string>(names: readonly K[]): Record<K, string> {
  const read = () => {
    const style = getComputedStyle(document.documentElement);
    return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(`--${n}`).trim() || '#888'])) as Record<K, string>;
  };
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const observer = new MutationObserver(() => setColors(read()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
    // The names are constants of the caller.
  }, []);
  return colors;
}
