import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthService } from '../../auth/index.js';
import { SluiceError } from '../../errors.js';
import { readBody } from '../body.js';
import { parseJson } from '../params.js';
import { validateBody } from '../schemas.js';

const addUserBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  scopes: z.array(z.string().max(16)).min(1).max(3),
});
const setPasswordBody = z.strictObject({ password: z.string().min(1).max(1024) });

/** /api/v1/users: the web UI's local accounts. Admin only (route-access.ts). */
export function userRoutes(auth: AuthService): Hono {
  const app = new Hono();

  app.get('/', (c) => c.json({ users: auth.users.list() }));

  app.post('/', async (c) => {
    const body = validateBody(addUserBody, parseJson(await readBody(c, 16 * 1024)));
    return c.json(await auth.users.add(body), 201);
  });

  app.post('/:username/password', async (c) => {
    const { password } = validateBody(setPasswordBody, parseJson(await readBody(c, 16 * 1024)));
    await auth.users.setPassword(c.req.param('username'), password);
    return c.body(null, 204);
  });

  app.delete('/:username', (c) => {
    const identity = c.get('identity');
    const username = c.req.param('username');
    if (identity.kind === 'user' && identity.username === username) {
      throw new SluiceError('invalid_request', 'you cannot delete your own account while logged in with it');
    }
    auth.users.remove(username);
    return c.body(null, 204);
  });

  return app;
}
