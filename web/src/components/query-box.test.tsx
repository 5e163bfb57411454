// @vitest-environment happy-dom
import { useCallback, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '../test/render';
import { QueryBox } from './query-box';

const VALUES: Record<string, string[]> = { service: ['auth', 'checkout', 'search'], level: ['error', 'info'] };

/** QueryBox with label values that "load" when asked, as the Explore page wires it. */
function Harness({ onRun = () => {}, error = null }: { onRun?: (q: string) => void; error?: { message: string; position: { line: number; column: number } | null } | null }) {
  const [value, setValue] = useState('');
  const [loaded, setLoaded] = useState<Record<string, string[]>>({});
  const labelValues = useCallback((name: string) => loaded[name], [loaded]);
  return (
    <QueryBox
      value={value}
      onChange={setValue}
      onRun={() => onRun(value)}
      error={error}
      labelNames={['service', 'level', 'host']}
      labelValues={labelValues}
      onWantValues={(name) => setTimeout(() => setLoaded((l) => ({ ...l, [name]: VALUES[name] ?? [] })), 60)}
    />
  );
}

function typeInto(box: HTMLTextAreaElement, text: string) {
  fireEvent.change(box, { target: { value: text, selectionStart: text.length, selectionEnd: text.length } });
  box.setSelectionRange(text.length, text.length);
}

describe('<QueryBox>', () => {
  it('completes a label name, then its values once they load', async () => {
    render(<Harness />);
    const box = screen.getByLabelText('LogQL query') as HTMLTextAreaElement;
    box.focus();
    typeInto(box, '{serv');
    const names = await screen.findByRole('listbox', { name: 'Label names' });
    expect(names.textContent).toBe('service');
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(box.value).toBe('{service=""'));
    const values = await screen.findByRole('listbox', { name: 'Label values' });
    expect([...values.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['auth', 'checkout', 'search']);
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(box.value).toBe('{service="checkout"'));
  });

  it('runs on Enter and keeps Shift+Enter for a new line', () => {
    const onRun = vi.fn();
    render(<Harness onRun={onRun} />);
    const box = screen.getByLabelText('LogQL query') as HTMLTextAreaElement;
    typeInto(box, 'rate({a="b"}[1m])');
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onRun).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onRun).toHaveBeenCalledWith('rate({a="b"}[1m])');
  });

  it('points at the error position from the server', () => {
    const { container } = render(<Harness error={{ message: 'parse error at line 1, col 3: unexpected', position: { line: 1, column: 3 } }} />);
    act(() => typeInto(screen.getByLabelText('LogQL query') as HTMLTextAreaElement, '{a="b"'));
    expect(screen.getByRole('alert').textContent).toContain('parse error at line 1, col 3');
    expect(container.querySelector('mark')?.textContent).toBe('=');
  });
});
