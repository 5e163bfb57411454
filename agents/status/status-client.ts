import { ApiClient } from '../../server/cli/api-client.js';
import { SluiceError } from '../../server/errors.js';
import { agentStatusSchema, type AgentStatusSnapshot } from './status-snapshot.js';

/**
 * Asks a running agent for its status: `url` is the status server's base URL (see
 * statusUrlForListen). Throws SluiceError `unavailable` when no agent answers there, and `internal`
 * when what answers is not an agent's status.
 */
export async function fetchAgentStatus(url: string): Promise<AgentStatusSnapshot> {
  const body = await new ApiClient(url).request<unknown>('GET', '/status');
  const parsed = agentStatusSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SluiceError('internal', `${url}/status did not answer with an agent status (${issue.path.join('.') || 'body'}: ${issue.message})`);
  }
  return parsed.data;
}
