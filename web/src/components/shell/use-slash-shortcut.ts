import { useEffect } from 'react';
import { useNavigate } from 'react-router';

export const QUERY_INPUT_ID = 'query-input';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** `/` anywhere (outside a text field) focuses the query box, going to Explore first if needed. */
export function useSlashShortcut(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      event.preventDefault();
      const input = document.getElementById(QUERY_INPUT_ID);
      if (input) input.focus();
      else navigate('/explore', { state: { focusQuery: true } });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
}
