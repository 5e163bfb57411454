import { cleanup, render } from '@testing-library/react';
import { afterEach } from 'vitest';

// Vitest runs without globals, so testing-library cannot register its own cleanup.
afterEach(() => cleanup());

export { render };
export { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
