// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromBody } from '../api/api-error';
import { render, screen } from '../test/render';
import { ErrorState } from './states';

describe('<ErrorState>', () => {
  it('tells a server that is down from a bad request and from an endpoint this server lacks', () => {
    render(<ErrorState error={new ApiError(0, 'network_error', 'cannot reach the Sluice server')} what="topics" />);
    expect(screen.getByRole('alert').textContent).toContain('The Sluice server is not reachable');
    render(<ErrorState error={apiErrorFromBody(404, '{"error":{"code":"not_found","message":"no route for GET /api/v1/alerts"}}')} what="alerts" />);
    expect(screen.getAllByRole('alert')[1]!.textContent).toContain('Alerts is not available on this server');
    render(<ErrorState error={apiErrorFromBody(404, '{"error":{"code":"unknown_topic","message":"topic x does not exist"}}')} what="the topic" />);
    expect(screen.getAllByRole('alert')[2]!.textContent).toContain('topic x does not exist');
  });
});

describe('apiErrorFromBody', () => {
  it('reads Sluice error bodies, Loki text errors and the query position', () => {
    const e = apiErrorFromBody(400, '{"status":"error","errorType":"bad_data","message":"x","error":{"code":"invalid_query","message":"parse error at line 2, col 7: unexpected }"}}');
    expect([e.code, e.message, e.position]).toEqual(['invalid_query', 'parse error at line 2, col 7: unexpected }', { line: 2, column: 7 }]);
    const text = apiErrorFromBody(502, 'upstream down');
    expect([text.code, text.message, text.position]).toEqual(['internal', 'upstream down', null]);
  });
});
